using System.Xml;
using JobGateway.Core;

namespace JobGateway.Soap.Asmx;

/// <summary>The fault codes a service answers with. Client and Server are Sender and Receiver in SOAP 1.2.</summary>
public enum SoapFaultCode
{
    /// <summary>The request was wrong (bad input, bad credentials, unknown ids).</summary>
    Client,

    /// <summary>The gateway failed.</summary>
    Server,

    /// <summary>The envelope was not a SOAP 1.1 or 1.2 envelope.</summary>
    VersionMismatch,

    /// <summary>A header marked mustUnderstand was not understood.</summary>
    MustUnderstand,
}

/// <summary>
/// A fault to send to the caller. Its message is part of the contract: it says what was wrong with the request
/// and never carries internals.
/// </summary>
public sealed class SoapFaultException : Exception
{
    // The standard constructors: a message alone is a Client fault (something the caller got wrong); no
    // message at all is the generic Server fault.
    public SoapFaultException()
        : this(SoapFaultCode.Server, "Server was unable to process request.")
    {
    }

    public SoapFaultException(string message)
        : this(SoapFaultCode.Client, message)
    {
    }

    public SoapFaultException(string message, Exception innerException)
        : base(message, innerException)
    {
        Code = SoapFaultCode.Client;
    }

    public SoapFaultException(SoapFaultCode code, string message, int httpStatus = 500)
        : base(message)
    {
        Code = code;
        HttpStatus = httpStatus;
    }

    public SoapFaultCode Code { get; }

    /// <summary>
    /// 500 for every fault, as ASMX answers; 400 and 413 when the body was rejected before SOAP began; 503 when the
    /// gateway asks the caller to come back later (<see cref="RetryLater"/>).
    /// </summary>
    public int HttpStatus { get; } = 500;

    /// <summary>When set, the reply carries <c>Retry-After</c> with this many seconds.</summary>
    public long? RetryAfterSeconds { get; init; }

    /// <summary>The headers a MustUnderstand fault reports.</summary>
    public IReadOnlyList<XmlQualifiedName> NotUnderstood { get; init; } = [];

    /// <summary>The request was wrong: <c>soap:Client</c> / <c>soap:Sender</c>.</summary>
    public static SoapFaultException Client(string message) => new(SoapFaultCode.Client, message);

    /// <summary>
    /// The request was fine but the gateway will not take it now (a limit is reached): <c>soap:Server</c> /
    /// <c>soap12:Receiver</c> with HTTP 503 and <c>Retry-After</c>.
    /// </summary>
    public static SoapFaultException RetryLater(string message, long retryAfterSeconds) =>
        new(SoapFaultCode.Server, message, 503) { RetryAfterSeconds = retryAfterSeconds };

    /// <summary>The request ran past the server-side request timeout: a Server fault with HTTP 503 and <c>Retry-After</c>.</summary>
    public static SoapFaultException RequestTimedOut() =>
        RetryLater(StoreFailureMessages.TimeoutMessage, StoreFailureMessages.RetryAfterSeconds);

    /// <summary>
    /// The job store failed, not the request: a Server fault with the REST surfaces' status for it (503 with
    /// <c>Retry-After</c>, or 507 for a full store) and their words.
    /// </summary>
    public static SoapFaultException StoreFailed(StoreFailure failure) => failure == StoreFailure.Unavailable
        ? RetryLater(StoreFailureMessages.Message(failure), StoreFailureMessages.RetryAfterSeconds)
        : new(SoapFaultCode.Server, StoreFailureMessages.Message(failure), StoreFailureMessages.Status(failure));

    /// <summary>A declared parameter was not sent (or was nil).</summary>
    public static SoapFaultException MissingParameter(string name) => Client($"Missing parameter: {name}.");

    /// <summary>A parameter was sent with a value its type cannot take.</summary>
    public static SoapFaultException InvalidParameter(string name, XsdType type) =>
        Client($"Parameter {name} is not a valid {XsdTypes.Placeholder(type)}.");
}
