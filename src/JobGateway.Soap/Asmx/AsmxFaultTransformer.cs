using System.Reflection;
using System.ServiceModel.Channels;
using JobGateway.Core;
using Microsoft.Extensions.Logging;
using SoapCore;
using SoapCore.Extensibility;

namespace JobGateway.Soap.Asmx;

/// <summary>
/// SoapCore's hook for every exception of a SOAP call: the caller gets an ASMX fault whose code and text say what
/// was wrong with the request, and never the text of an internal exception.
/// </summary>
public sealed partial class AsmxFaultTransformer(ILogger<AsmxFaultTransformer> logger) : IFaultExceptionTransformer
{
    public Message ProvideFault(Exception exception, MessageVersion messageVersion, Message requestMessage, ConcurrentXmlNamespaceLookup xmlNamespaceLookup)
    {
        ArgumentNullException.ThrowIfNull(messageVersion);
        return new AsmxFaultMessage(AsmxEnvelope.VersionOf(messageVersion), ToFault(exception));
    }

    /// <summary>What the caller is told about an exception: its own fault, a domain rule, or nothing internal.</summary>
    public SoapFaultException ToFault(Exception exception)
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
            default:
                LogFailed(exception);
                return new SoapFaultException();
        }
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "SOAP {Code} fault: {Reason}")]
    private partial void LogRejected(SoapFaultCode code, string reason);

    [LoggerMessage(Level = LogLevel.Error, Message = "SOAP operation failed")]
    private partial void LogFailed(Exception exception);
}
