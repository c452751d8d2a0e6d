using System.Globalization;
using System.Reflection;
using System.ServiceModel.Channels;
using JobGateway.Core;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Timeouts;
using Microsoft.Extensions.Logging;
using SoapCore;
using SoapCore.Extensibility;

namespace JobGateway.Soap.Asmx;

/// <summary>
/// SoapCore's hook for every exception of a SOAP call: the caller gets an ASMX fault whose code and text say what
/// was wrong with the request, and never the text of an internal exception.
/// </summary>
public sealed partial class AsmxFaultTransformer(ILogger<AsmxFaultTransformer> logger, IStoreFailures storeFailures, IHttpContextAccessor http)
    : IFaultExceptionTransformer
{
    public Message ProvideFault(Exception exception, MessageVersion messageVersion, Message requestMessage, ConcurrentXmlNamespaceLookup xmlNamespaceLookup)
    {
        ArgumentNullException.ThrowIfNull(messageVersion);
        return new AsmxFaultMessage(AsmxEnvelope.VersionOf(messageVersion), ToFault(exception));
    }

    /// <summary>
    /// What the caller is told about an exception: its own fault, a domain rule, the gateway's unavailability, or
    /// nothing internal. A fault that asks the caller to come back sets <c>Retry-After</c> on the response.
    /// </summary>
    public SoapFaultException ToFault(Exception exception)
    {
        var fault = Classify(exception);
        if (fault.RetryAfterSeconds is { } seconds && http.HttpContext is { Response.HasStarted: false } context)
        {
            // On the response itself: SoapCore writes a fault on it and keeps its headers, and so do the HTTP GET/POST bindings.
            context.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
        }

        return fault;
    }

    /// <summary>Whether the request of <paramref name="context"/> was stopped by the server-side request timeout.</summary>
    public static bool TimedOut(HttpContext? context) =>
        context?.Features.Get<IHttpRequestTimeoutFeature>()?.RequestTimeoutToken.IsCancellationRequested == true;

    private SoapFaultException Classify(Exception exception)
    {
        while (exception is TargetInvocationException { InnerException: { } inner })
        {
            exception = inner;
        }

        switch (exception)
        {
            case SoapFaultException fault:
                LogRejected(fault.Code, fault.Message);
                return fault;
            case DomainException domain:
                LogRejected(SoapFaultCode.Client, domain.Message);
                return SoapFaultException.Client(domain.Message);
            case OperationCanceledException when TimedOut(http.HttpContext):
                LogUnavailable(StoreFailureMessages.TimeoutCode, exception.Message);
                return SoapFaultException.RequestTimedOut();
            case var _ when storeFailures.Classify(exception) is { } failure:
                LogUnavailable(StoreFailureMessages.Code(failure), exception.Message);
                return SoapFaultException.StoreFailed(failure);
            default:
                LogFailed(exception);
                return new SoapFaultException();
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "SOAP Server fault {Code}: {Reason}")]
    private partial void LogUnavailable(string code, string reason);

    [LoggerMessage(Level = LogLevel.Debug, Message = "SOAP {Code} fault: {Reason}")]
    private partial void LogRejected(SoapFaultCode code, string reason);

    [LoggerMessage(Level = LogLevel.Error, Message = "SOAP operation failed")]
    private partial void LogFailed(Exception exception);
}
