using Microsoft.AspNetCore.Http.HttpResults;

namespace RootCx.Vault.SampleHost.Api;

/// <summary>
/// The audit trail over HTTP: pages of events (filtered by scope, name and time) and a check of the hash chain. Events
/// hold no value, so these routes have none to leak.
/// </summary>
public static class AuditEndpoints
{
    public static void MapAuditEndpoints(this IEndpointRouteBuilder routes)
    {
        RouteGroupBuilder audit = routes.MapGroup("/api/v1/audit").RequireAuthorization().AddEndpointFilter<VaultProblemFilter>().WithTags("Audit");
        audit.MapGet("/", ReadAsync)
            .WithName("ReadAudit").WithSummary("Lists audit events oldest first: ?scope=<appId or _platform>&name=&from=&until= (ISO 8601), paged with ?after=<seq>&limit=<1..1000, default 100>; next is the after of the next page.");
        audit.MapGet("/verify", VerifyAsync)
            .WithName("VerifyAudit").WithSummary("Walks the hash chain: the first broken sequence number, and the head (seq and hash) to record elsewhere.");
    }

    private static async Task<Results<Ok<AuditPage>, ProblemHttpResult>> ReadAsync(
        ISecretAuditLog log, CancellationToken cancellationToken, string? scope = null, string? name = null, DateTimeOffset? from = null, DateTimeOffset? until = null, long after = 0, int limit = 100)
    {
        if (limit is < 1 or > SecretAuditQuery.MaxLimit || after < 0)
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status400BadRequest, title: "Invalid page", detail: $"limit must be 1 to {SecretAuditQuery.MaxLimit} and after at least 0.");
        }

        var query = new SecretAuditQuery
        {
            Scope = scope is null ? null : SecretScope.FromNamespace(scope),
            Name = name,
            From = from,
            Until = until,
            AfterSequence = after,
            Limit = limit,
        };
        IReadOnlyList<SecretAuditRecord> records = await log.ReadAsync(query, cancellationToken);
        return TypedResults.Ok(new AuditPage([.. records.Select(AuditEventResponse.From)], records.Count == limit ? records[^1].Sequence : null));
    }

    private static async Task<Ok<AuditVerificationResponse>> VerifyAsync(ISecretAuditLog log, CancellationToken cancellationToken)
    {
        SecretAuditVerification result = await log.VerifyAsync(cancellationToken);
        return TypedResults.Ok(new AuditVerificationResponse(result.IsIntact, result.Count, result.HeadSequence, Convert.ToHexStringLower(result.HeadHash.Span), result.FirstBrokenSequence));
    }
}

/// <summary>A page of audit events; <c>Next</c> is the <c>after</c> of the next page, or null on the last.</summary>
public sealed record AuditPage(AuditEventResponse[] Events, long? Next);

/// <summary>An audit event as the API shows it: no value, ever.</summary>
public sealed record AuditEventResponse(
    long Seq, DateTimeOffset Time, string Actor, string Action, string Scope, string? Name, long? Version, string? KeyId, string Outcome, string PrevHash, string Hash)
{
    public static AuditEventResponse From(SecretAuditRecord record)
    {
        SecretAuditEvent e = record.Event;
        return new(
            record.Sequence,
            e.Timestamp,
            e.Actor,
            e.Action.ToString(),
            e.Scope.Namespace,
            e.Name,
            e.Version,
            e.KeyId?.ToString(),
            e.Outcome.ToString(),
            Convert.ToHexStringLower(record.PreviousHash.Span),
            Convert.ToHexStringLower(record.Hash.Span));
    }
}

/// <summary>What a walk of the chain found.</summary>
public sealed record AuditVerificationResponse(bool Intact, long Count, long HeadSequence, string HeadHash, long? FirstBrokenSequence);
