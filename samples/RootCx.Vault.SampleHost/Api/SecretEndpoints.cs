using Microsoft.AspNetCore.Http.HttpResults;

namespace RootCx.Vault.SampleHost.Api;

/// <summary>
/// The vault's HTTP surface. Values go in and never come out: responses carry names and metadata only.
/// </summary>
public static class SecretEndpoints
{
    public static void MapSecretEndpoints(this IEndpointRouteBuilder routes)
    {
        RouteGroupBuilder api = routes.MapGroup("/api/v1").RequireAuthorization().AddEndpointFilter<VaultProblemFilter>();

        RouteGroupBuilder apps = api.MapGroup("/apps/{appId}/secrets").WithTags("App secrets");
        apps.MapPost("/", (string appId, HttpRequest request, ISecretVault vault, CancellationToken ct) => SetAsync(SecretScope.ForApp(appId), request, vault, ct))
            .WithName("SetAppSecret").WithSummary("Creates or replaces an app secret. The value is write-only. If-Match: \"version\" replaces only that version; If-None-Match: * only creates.");
        apps.MapGet("/", (string appId, ISecretVault vault, CancellationToken ct) => ListAsync(SecretScope.ForApp(appId), vault, ct))
            .WithName("ListAppSecrets").WithSummary("Lists an app's secret names and metadata, never values.");
        apps.MapDelete("/{key}", (string appId, string key, HttpRequest request, ISecretVault vault, CancellationToken ct) => DeleteAsync(SecretScope.ForApp(appId), key, request, vault, ct))
            .WithName("DeleteAppSecret").WithSummary("Deletes an app secret: it leaves the listing and the runtime at once and can be recovered (deleted-secrets) until purged; with If-Match: \"version\", only that version.");

        RouteGroupBuilder platform = api.MapGroup("/platform/secrets").WithTags("Platform secrets");
        platform.MapPost("/", (HttpRequest request, ISecretVault vault, CancellationToken ct) => SetAsync(SecretScope.Platform, request, vault, ct))
            .WithName("SetPlatformSecret").WithSummary("Creates or replaces a platform secret. The value is write-only. If-Match: \"version\" replaces only that version; If-None-Match: * only creates.");
        platform.MapGet("/", (ISecretVault vault, CancellationToken ct) => ListAsync(SecretScope.Platform, vault, ct))
            .WithName("ListPlatformSecrets").WithSummary("Lists platform secret names and metadata, never values.");
        platform.MapDelete("/{key}", (string key, HttpRequest request, ISecretVault vault, CancellationToken ct) => DeleteAsync(SecretScope.Platform, key, request, vault, ct))
            .WithName("DeletePlatformSecret").WithSummary("Deletes a platform secret: it leaves the listing and the runtime at once and can be recovered (deleted-secrets) until purged; with If-Match: \"version\", only that version.");
    }

    private static async Task<Results<Created<SecretResponse>, Ok<SecretResponse>>> SetAsync(
        SecretScope scope, HttpRequest request, ISecretVault vault, CancellationToken cancellationToken)
    {
        SecretPrecondition precondition = PreconditionHeaders.ForSet(request);
        using SecretWriteBody body = await SecretWriteBody.ReadAsync(request, cancellationToken);
        SecretMetadata stored = await vault.SetAsync(scope, body.Key, body.Utf8Value, precondition, cancellationToken);
        PreconditionHeaders.SetETag(request.HttpContext.Response, stored.Version);
        var response = SecretResponse.From(stored);
        return stored.Version == 1 ? TypedResults.Created((string?)null, response) : TypedResults.Ok(response);
    }

    private static async Task<Ok<SecretResponse[]>> ListAsync(SecretScope scope, ISecretVault vault, CancellationToken cancellationToken) =>
        TypedResults.Ok((await vault.ListAsync(scope, cancellationToken)).Select(SecretResponse.From).ToArray());

    private static async Task<Results<NoContent, ProblemHttpResult>> DeleteAsync(SecretScope scope, string key, HttpRequest request, ISecretVault vault, CancellationToken cancellationToken) =>
        await vault.DeleteAsync(scope, key, PreconditionHeaders.ForDelete(request), cancellationToken)
            ? TypedResults.NoContent()
            : TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "Secret not found", detail: $"There is no secret '{key}' in '{scope}'.");
}

/// <summary>What the API tells about a secret: never its value.</summary>
public sealed record SecretResponse(string Key, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt, long Version)
{
    public static SecretResponse From(SecretMetadata metadata) =>
        new(metadata.Name, metadata.CreatedAt, metadata.UpdatedAt, metadata.Version);
}
