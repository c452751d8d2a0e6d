// JobGateway dashboard: pages that refresh themselves and the chart of the last hour. No framework, no build step.
"use strict";

(() => {
    const fragmentHeader = { "X-Dashboard-Fragment": "1" };

    // Fetches a fragment or JSON; a signed-out session reloads the page (which then goes to the sign-in page).
    async function fetchPart(url, accept) {
        const response = await fetch(url, { headers: { ...fragmentHeader, Accept: accept }, credentials: "same-origin", cache: "no-store" });
        if (response.status === 401 || response.status === 403) {
            location.reload();
            return null;
        }

        return response.ok ? response : null;
    }

    // Runs `tick` every `every` ms while the page is visible, never two at once.
    function every(ms, tick) {
        const run = async () => {
            if (!document.hidden) {
                try {
                    await tick();
                } catch {
                    // A failed poll (the gateway restarting) is retried at the next one.
                }
            }

            setTimeout(run, ms);
        };
        setTimeout(run, ms);
    }

    // <div data-refresh="url" data-every="ms">: its content is replaced by the fragment the URL answers with.
    for (const region of document.querySelectorAll("[data-refresh]")) {
        let last = null;
        every(Number(region.dataset.every) || 2000, async () => {
            const response = await fetchPart(region.dataset.refresh, "text/html");
            if (!response) {
                return;
            }

            const html = await response.text();
            if (html !== last) {
                last = html;
                region.innerHTML = html;
                reloadWhenActionsChange(region);
            }
        });
    }

    // A job's actions depend on its status: when the live part shows another, the page is reloaded to offer them.
    function reloadWhenActionsChange(region) {
        const live = region.querySelector("[data-actions-key]");
        const actions = document.querySelector(".actions[data-actions-key]");
        if (live && actions && live.dataset.actionsKey !== actions.dataset.actionsKey) {
            location.reload();
        }
    }

    const svgNs = "http://www.w3.org/2000/svg";

    function svg(name, attributes, text) {
        const element = document.createElementNS(svgNs, name);
        for (const [key, value] of Object.entries(attributes)) {
            element.setAttribute(key, value);
        }

        if (text !== undefined) {
            element.textContent = text;
        }

        return element;
    }

    // Draws created, succeeded and failed jobs per minute as three lines over the hour.
    function drawChart(chart, minutes) {
        const [width, height] = [760, 240];
        const pad = { left: 44, right: 24, top: 12, bottom: 28 };
        const plotWidth = width - pad.left - pad.right;
        const plotHeight = height - pad.top - pad.bottom;
        const series = ["created", "succeeded", "failed"];
        const top = Math.max(1, ...minutes.flatMap(m => series.map(s => m[s])));
        const step = niceStep(top / 4);
        const scale = 4 * step;
        const x = i => pad.left + (minutes.length <= 1 ? 0 : (i * plotWidth) / (minutes.length - 1));
        const y = v => pad.top + plotHeight - (v * plotHeight) / scale;

        const parts = [];
        for (let tick = 0; tick <= 4; tick++) {
            const value = tick * step;
            parts.push(svg("line", { class: "axis", x1: pad.left, x2: width - pad.right, y1: y(value), y2: y(value) }));
            parts.push(svg("text", { x: pad.left - 6, y: y(value) + 4, "text-anchor": "end" }, String(value)));
        }

        minutes.forEach((m, i) => {
            if (i % 10 === 0 || i === minutes.length - 1) {
                const at = new Date(m.minute);
                const label = at.toISOString().substring(11, 16);
                const anchor = i === minutes.length - 1 ? "end" : i === 0 ? "start" : "middle";
                parts.push(svg("text", { x: x(i), y: height - 8, "text-anchor": anchor }, label));
            }
        });

        for (const name of series) {
            const points = minutes.map((m, i) => `${x(i).toFixed(1)},${y(m[name]).toFixed(1)}`).join(" ");
            const line = svg("polyline", { class: `series ${name}`, points });
            line.appendChild(svg("title", {}, name));
            parts.push(line);
        }

        const totals = series.map(name => `${name} ${minutes.reduce((sum, m) => sum + m[name], 0)}`).join(", ");
        chart.setAttribute("data-totals", totals);
        chart.replaceChildren(...parts);
    }

    // The smallest whole step of 1, 2 or 5 times a power of ten that is at least `value`: the grid's lines are whole counts.
    function niceStep(value) {
        const magnitude = Math.pow(10, Math.floor(Math.log10(Math.max(1, value))));
        for (const factor of [1, 2, 5, 10]) {
            if (value <= factor * magnitude) {
                return factor * magnitude;
            }
        }

        return 10 * magnitude;
    }

    const chart = document.getElementById("activity-chart");
    if (chart) {
        const refresh = async () => {
            const response = await fetchPart(chart.dataset.source, "application/json");
            if (response) {
                drawChart(chart, (await response.json()).minutes);
            }
        };
        refresh();
        every(Number(chart.dataset.every) || 5000, refresh);
    }
})();
