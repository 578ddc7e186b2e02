using Microsoft.AspNetCore.Http.HttpResults;

namespace RootCx.Vault.SampleHost.Api;

/// <summary>
/// Deleted secrets over HTTP: a delete is soft, so a scope's deleted secrets are listed apart from its live ones until
/// they are recovered, or purged (by request, or when their retention runs out). Metadata only, as everywhere.
/// </summary>
public static class DeletedSecretEndpoints
{
    public static void MapDeletedSecretEndpoints(this IEndpointRouteBuilder routes)
    {
        RouteGroupBuilder api = routes.MapGroup("/api/v1").RequireAuthorization().AddEndpointFilter<VaultProblemFilter>();

        RouteGroupBuilder apps = api.MapGroup("/apps/{appId}/deleted-secrets").WithTags("App secrets");
        apps.MapGet("/", (string appId, ISecretVault vault, CancellationToken ct) => ListAsync(SecretScope.ForApp(appId), vault, ct))
            .WithName("ListDeletedAppSecrets").WithSummary("Lists an app's deleted secrets: when each was deleted and when it will be purged. Never values.");
        apps.MapPost("/{key}/recover", (string appId, string key, HttpResponse response, ISecretVault vault, CancellationToken ct) => RecoverAsync(SecretScope.ForApp(appId), key, response, vault, ct))
            .WithName("RecoverAppSecret").WithSummary("Brings a deleted app secret back with its value, version and history.");
        apps.MapDelete("/{key}", (string appId, string key, ISecretVault vault, CancellationToken ct) => PurgeAsync(SecretScope.ForApp(appId), key, vault, ct))
            .WithName("PurgeAppSecret").WithSummary("Destroys a deleted app secret and its history for good.");

        RouteGroupBuilder platform = api.MapGroup("/platform/deleted-secrets").WithTags("Platform secrets");
        platform.MapGet("/", (ISecretVault vault, CancellationToken ct) => ListAsync(SecretScope.Platform, vault, ct))
            .WithName("ListDeletedPlatformSecrets").WithSummary("Lists deleted platform secrets: when each was deleted and when it will be purged. Never values.");
        platform.MapPost("/{key}/recover", (string key, HttpResponse response, ISecretVault vault, CancellationToken ct) => RecoverAsync(SecretScope.Platform, key, response, vault, ct))
            .WithName("RecoverPlatformSecret").WithSummary("Brings a deleted platform secret back with its value, version and history.");
        platform.MapDelete("/{key}", (string key, ISecretVault vault, CancellationToken ct) => PurgeAsync(SecretScope.Platform, key, vault, ct))
            .WithName("PurgePlatformSecret").WithSummary("Destroys a deleted platform secret and its history for good.");
    }

    private static async Task<Ok<DeletedSecretResponse[]>> ListAsync(SecretScope scope, ISecretVault vault, CancellationToken cancellationToken) =>
        TypedResults.Ok((await vault.ListDeletedAsync(scope, cancellationToken)).Select(DeletedSecretResponse.From).ToArray());

    private static async Task<Results<Ok<SecretResponse>, ProblemHttpResult>> RecoverAsync(
        SecretScope scope, string key, HttpResponse response, ISecretVault vault, CancellationToken cancellationToken)
    {
        if (await vault.RecoverAsync(scope, key, cancellationToken) is not { } recovered)
        {
            return NotDeleted(scope, key);
        }

        PreconditionHeaders.SetETag(response, recovered.Version);
        return TypedResults.Ok(SecretResponse.From(recovered));
    }

    private static async Task<Results<NoContent, ProblemHttpResult>> PurgeAsync(SecretScope scope, string key, ISecretVault vault, CancellationToken cancellationToken) =>
        await vault.PurgeAsync(scope, key, cancellationToken) ? TypedResults.NoContent() : NotDeleted(scope, key);

    // A live secret of that name is not "deleted" either: it has to be deleted before it can be purged.
    private static ProblemHttpResult NotDeleted(SecretScope scope, string key) =>
        TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "Deleted secret not found", detail: $"There is no deleted secret '{key}' in '{scope}'.");
}

/// <summary>A deleted secret as the API shows it: no value, ever; <c>PurgeAfter</c> is when its retention ends.</summary>
public sealed record DeletedSecretResponse(string Key, long Version, DateTimeOffset DeletedAt, DateTimeOffset PurgeAfter, string KeyId)
{
    public static DeletedSecretResponse From(DeletedSecretMetadata metadata) =>
        new(metadata.Name, metadata.Version, metadata.DeletedAt, metadata.PurgeAfter, metadata.KeyId.ToString());
}
