namespace RootCx.Vault;

/// <summary>
/// A durable audit sink that can be read and checked: each event is numbered and carries the SHA-256 of the one
/// before, so an edited or deleted event breaks the chain (docs/FORMAT.md, "Audit chain"). Each store provides one.
/// </summary>
public interface ISecretAuditLog : ISecretAuditSink
{
    /// <summary>Reads one page of events in sequence order.</summary>
    /// <param name="query">The filters and the page.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>At most <see cref="SecretAuditQuery.Limit"/> records after <see cref="SecretAuditQuery.AfterSequence"/>.</returns>
    ValueTask<IReadOnlyList<SecretAuditRecord>> ReadAsync(SecretAuditQuery query, CancellationToken cancellationToken = default);

    /// <summary>Walks the whole chain and reports the first broken link, and the head to record elsewhere.</summary>
    /// <param name="cancellationToken">Cancels the walk.</param>
    /// <returns>The result of the walk.</returns>
    ValueTask<SecretAuditVerification> VerifyAsync(CancellationToken cancellationToken = default);
}
