namespace RootCx.Vault.SampleHost;

/// <summary>Headers for a page that handles secrets: no framing, no inline script, no caching, no referrer.</summary>
internal static class SecurityHeaders
{
    public static IApplicationBuilder UseSecurityHeaders(this IApplicationBuilder app) => app.Use((context, next) =>
    {
        // Set as the response starts, not now: the exception handler clears every header before it writes an error.
        context.Response.OnStarting(Set, context.Response);
        return next(context);
    });

    private static Task Set(object state)
    {
        IHeaderDictionary headers = ((HttpResponse)state).Headers;
        headers.ContentSecurityPolicy = "default-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'";
        headers.XContentTypeOptions = "nosniff";
        headers.XFrameOptions = "DENY";
        headers["Referrer-Policy"] = "no-referrer";
        headers.CacheControl = "no-store";
        return Task.CompletedTask;
    }
}
