using Microsoft.AspNetCore.Authentication;

namespace RootCx.Vault.SampleHost.Api;

/// <summary>
/// Answers a path with an empty appId (<c>/api/v1/apps//secrets</c>), which matches no route, with the 400 of any other
/// invalid appId rather than a bare 404. A middleware and not a catch-all route: a route taking every method under
/// <c>/apps</c> would also take a wrong method on a real route, and turn its 405 into a 404.
/// </summary>
internal static class EmptyAppIdRequests
{
    public static IApplicationBuilder UseEmptyAppIdAsBadRequest(this IApplicationBuilder app) => app.Use(async (context, next) =>
    {
        if (context.GetEndpoint() is not null
            || !context.Request.Path.StartsWithSegments("/api/v1/apps", out PathString rest)
            || rest.Value?.StartsWith("//", StringComparison.Ordinal) != true)
        {
            await next(context);
        }
        else if (context.User.Identity?.IsAuthenticated != true)
        {
            // No endpoint, so the authorization middleware required nothing: ask for the key as every API route does.
            await context.ChallengeAsync();
        }
        else
        {
            await TypedResults.Problem(statusCode: StatusCodes.Status400BadRequest, title: "Invalid appId", detail: "An appId is required.").ExecuteAsync(context);
        }
    });
}
