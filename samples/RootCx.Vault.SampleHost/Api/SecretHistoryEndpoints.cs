using Microsoft.AspNetCore.Http.HttpResults;

namespace RootCx.Vault.SampleHost.Api;

/// <summary>
/// A secret's history over HTTP: the versions kept, and a restore that seals an older one again as the newest. The
/// value goes from envelope to envelope inside the vault, so neither route has a value to send.
/// </summary>
public static class SecretHistoryEndpoints
{
    public static void MapSecretHistoryEndpoints(this IEndpointRouteBuilder routes)
    {
        RouteGroupBuilder api = routes.MapGroup("/api/v1").RequireAuthorization().AddEndpointFilter<VaultProblemFilter>();

        RouteGroupBuilder apps = api.MapGroup("/apps/{appId}/secrets/{key}/versions").WithTags("App secrets");
        apps.MapGet("/", (string appId, string key, HttpResponse response, ISecretVault vault, CancellationToken ct) => ListAsync(SecretScope.ForApp(appId), key, response, vault, ct))
            .WithName("ListAppSecretVersions").WithSummary("Lists an app secret's versions, newest first: when, by whom, under which key id, which is current. Never values.");
        apps.MapPost("/{version}/restore", (string appId, string key, string version, HttpRequest request, ISecretVault vault, CancellationToken ct) => RestoreAsync(SecretScope.ForApp(appId), key, version, request, vault, ct))
            .WithName("RestoreAppSecretVersion").WithSummary("Seals an older version of an app secret again as its newest version; with If-Match: \"version\", only while the secret is at that version.");

        RouteGroupBuilder platform = api.MapGroup("/platform/secrets/{key}/versions").WithTags("Platform secrets");
        platform.MapGet("/", (string key, HttpResponse response, ISecretVault vault, CancellationToken ct) => ListAsync(SecretScope.Platform, key, response, vault, ct))
            .WithName("ListPlatformSecretVersions").WithSummary("Lists a platform secret's versions, newest first: when, by whom, under which key id, which is current. Never values.");
        platform.MapPost("/{version}/restore", (string key, string version, HttpRequest request, ISecretVault vault, CancellationToken ct) => RestoreAsync(SecretScope.Platform, key, version, request, vault, ct))
            .WithName("RestorePlatformSecretVersion").WithSummary("Seals an older version of a platform secret again as its newest version; with If-Match: \"version\", only while the secret is at that version.");
    }

    private static async Task<Results<Ok<SecretVersionResponse[]>, ProblemHttpResult>> ListAsync(
        SecretScope scope, string key, HttpResponse response, ISecretVault vault, CancellationToken cancellationToken)
    {
        IReadOnlyList<SecretVersionMetadata> versions = await vault.ListVersionsAsync(scope, key, cancellationToken);
        if (versions.Count == 0)
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "Secret not found", detail: $"There is no secret '{key}' in '{scope}'.");
        }

        // The current version as the ETag, so a client can send it back as the If-Match of a restore.
        PreconditionHeaders.SetETag(response, versions.Single(v => v.IsCurrent).Version);
        return TypedResults.Ok(versions.Select(SecretVersionResponse.From).ToArray());
    }

    private static async Task<Results<Ok<SecretResponse>, ProblemHttpResult>> RestoreAsync(
        SecretScope scope, string key, string version, HttpRequest request, ISecretVault vault, CancellationToken cancellationToken)
    {
        long restoredVersion = VersionSegment.Parse(version);
        SecretPrecondition precondition = PreconditionHeaders.ForRestore(request);
        if (await vault.RestoreVersionAsync(scope, key, restoredVersion, precondition, cancellationToken) is not { } restored)
        {
            return TypedResults.Problem(
                statusCode: StatusCodes.Status404NotFound,
                title: "Secret version not found",
                detail: $"There is no secret '{key}' in '{scope}' with a version {restoredVersion} kept.");
        }

        PreconditionHeaders.SetETag(request.HttpContext.Response, restored.Version);
        return TypedResults.Ok(SecretResponse.From(restored));
    }
}

/// <summary>One version of a secret as the API shows it: no value, ever. <c>Actor</c> is null when the audit trail does not say.</summary>
public sealed record SecretVersionResponse(long Version, DateTimeOffset WrittenAt, string KeyId, string? Actor, bool Current)
{
    public static SecretVersionResponse From(SecretVersionMetadata metadata) =>
        new(metadata.Version, metadata.WrittenAt, metadata.KeyId.ToString(), metadata.Actor, metadata.IsCurrent);
}
