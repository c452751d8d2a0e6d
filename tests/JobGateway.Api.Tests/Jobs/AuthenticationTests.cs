using System.Net;
using System.Net.Http.Json;
using System.Security.Claims;
using JobGateway.Api.Tests.Infrastructure;
using CredentialCache = JobGateway.Core.Clients.CredentialCache;
using JobGateway.Rest.Auth;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features.Authentication;
using Microsoft.Extensions.DependencyInjection;

namespace JobGateway.Api.Tests.Jobs;

/// <summary>
/// Bearer keys: a key the credential cache holds is signed in by the gateway's own middleware, every other request
/// by ASP.NET's authentication middleware and the ApiKey handler. Both ways must end in the same principal and
/// the same answers.
/// </summary>
public sealed class AuthenticationTests(GatewayFactory gateway) : IClassFixture<GatewayFactory>
{
    [Fact]
    public async Task CachedKey_IsSignedInWithTheHandlersOwnResult()
    {
        var tenant = await gateway.CreateTenantAsync();
        using (var client = gateway.CreateClient(tenant.ApiKey))
        {
            // The first request goes through the handler, which looks the key up and caches it.
            Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/api/jobs")).StatusCode);
        }

        using var scope = gateway.Services.CreateScope();
        var context = new DefaultHttpContext { RequestServices = scope.ServiceProvider };
        context.Request.Headers.Authorization = "Bearer " + tenant.ApiKey;
        ClaimsPrincipal? signedIn = null;
        var middleware = new CachedApiKeyAuthenticationMiddleware(
            c =>
            {
                signedIn = c.User;
                return Task.CompletedTask;
            },
            scope.ServiceProvider.GetRequiredService<IAuthenticationSchemeProvider>(),
            scope.ServiceProvider.GetRequiredService<CredentialCache>());

        await middleware.InvokeAsync(context);

        // The cached way was taken: ASP.NET's middleware would have set its IAuthenticationFeature.
        Assert.Null(context.Features.Get<IAuthenticationFeature>());

        // The same principal instance the handler hands out for this key, and a result the authorization
        // middleware will take instead of authenticating again.
        var byHandler = await context.AuthenticateAsync(ApiKeyAuthenticationHandler.SchemeName);
        Assert.True(byHandler.Succeeded);
        Assert.Same(byHandler.Principal, signedIn);
        Assert.Same(signedIn, context.Features.Get<IAuthenticateResultFeature>()?.AuthenticateResult?.Principal);

        // ASP.NET's way also runs the claims transformation; skipping it is the same only while it is the no-op.
        Assert.Equal(
            "Microsoft.AspNetCore.Authentication.NoopClaimsTransformation",
            scope.ServiceProvider.GetRequiredService<IClaimsTransformation>().GetType().FullName);
        Assert.Same(signedIn, context.Features.Get<IHttpAuthenticationFeature>()?.User);
        var principal = Assert.IsType<ClaimsPrincipal>(signedIn);
        Assert.Equal(tenant.ClientId.ToString(), principal.FindFirstValue(GatewayClaims.ClientId));
        Assert.Equal(ApiKeyAuthenticationHandler.SchemeName, principal.Identity?.AuthenticationType);
    }

    [Theory]
    [InlineData("Bearer {0}")]
    [InlineData("bearer {0}")]
    [InlineData("BEARER   {0}  ")]
    public async Task BearerHeader_IsAcceptedAlike_WhetherTheKeyIsCachedOrNot(string format)
    {
        var tenant = await gateway.CreateTenantAsync();
        gateway.Services.GetRequiredService<CredentialCache>().Invalidate();
        using var client = gateway.CreateClient();
        for (var i = 0; i < 2; i++)
        {
            // i = 0: not cached (the handler); i = 1: cached (the middleware's own way).
            using var request = new HttpRequestMessage(HttpMethod.Get, "/api/jobs");
            request.Headers.TryAddWithoutValidation("Authorization", string.Format(System.Globalization.CultureInfo.InvariantCulture, format, tenant.ApiKey));
            Assert.Equal(HttpStatusCode.OK, (await client.SendAsync(request)).StatusCode);
        }
    }

    [Fact]
    public async Task BadOrDoubledHeaders_AreRefused_EvenWhenTheKeyIsCached()
    {
        var tenant = await gateway.CreateTenantAsync();
        using var client = gateway.CreateClient();
        using (var warm = gateway.CreateClient(tenant.ApiKey))
        {
            Assert.Equal(HttpStatusCode.OK, (await warm.GetAsync("/api/jobs")).StatusCode);
        }

        foreach (var headers in new[]
        {
            new[] { "Basic " + tenant.ApiKey },
            new[] { tenant.ApiKey },
            new[] { "Bearer " + tenant.ApiKey + "x" },
            new[] { "Bearer " + tenant.ApiKey, "Bearer " + tenant.ApiKey },
        })
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, "/api/jobs");
            foreach (var header in headers)
            {
                request.Headers.TryAddWithoutValidation("Authorization", header);
            }

            var response = await client.SendAsync(request);
            Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
            Assert.Equal("unauthorized", (await JobsApiTests.ReadProblemAsync(response)).GetProperty("code").GetString());
        }
    }

    [Fact]
    public async Task CachedKey_WithoutTheRole_IsForbidden_AndARevokedOneRefused()
    {
        var worker = await gateway.CreateTenantAsync("worker");
        using var client = gateway.CreateClient(worker.ApiKey);
        Assert.Equal(HttpStatusCode.OK, (await client.PostAsJsonAsync("/api/worker/fetch", new { workerId = "w", types = new[] { "auth-x" } })).StatusCode);

        // Now cached: the role check still applies.
        Assert.Equal(HttpStatusCode.Forbidden, (await client.GetAsync("/api/jobs")).StatusCode);

        using var admin = gateway.CreateClient(GatewayFactory.AdminKey);
        (await admin.DeleteAsync($"/api/admin/clients/{worker.ClientId}/keys/{worker.KeyId}")).EnsureSuccessStatusCode();
        Assert.Equal(HttpStatusCode.Unauthorized, (await client.PostAsJsonAsync("/api/worker/fetch", new { workerId = "w", types = new[] { "auth-x" } })).StatusCode);
    }
}
