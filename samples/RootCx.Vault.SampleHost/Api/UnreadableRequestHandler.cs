using Microsoft.AspNetCore.Diagnostics;

namespace RootCx.Vault.SampleHost.Api;

/// <summary>
/// Answers a request whose body Kestrel could not read (broken chunked framing, a body that stalls or ends early) with
/// the status Kestrel meant, as ProblemDetails. The client caused it, so it is logged at debug level, not as a server
/// error; handled here, the exception handler middleware logs nothing either.
/// </summary>
internal sealed partial class UnreadableRequestHandler(IProblemDetailsService problems, ILogger<UnreadableRequestHandler> logger) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        if (exception is not BadHttpRequestException bad)
        {
            return false;
        }

        LogUnreadable(logger, bad.StatusCode, bad.Message);
        httpContext.Response.StatusCode = bad.StatusCode;

        // Kestrel's wording is not shown: it speaks of its own settings, and a future message might quote the input.
        return await problems.TryWriteAsync(new ProblemDetailsContext
        {
            HttpContext = httpContext,
            Exception = exception,
            ProblemDetails =
            {
                Status = bad.StatusCode,
                Title = "Unreadable request",
                Detail = bad.StatusCode switch
                {
                    StatusCodes.Status408RequestTimeout => "The request body arrived too slowly.",
                    StatusCodes.Status413PayloadTooLarge => "The request body is too large.",
                    _ => "The request body could not be read: its framing is malformed, or it ended early.",
                },
            },
        });
    }

    [LoggerMessage(1, LogLevel.Debug, "Refused an unreadable request with {StatusCode}: {Reason}")]
    private static partial void LogUnreadable(ILogger logger, int statusCode, string reason);
}
