using Microsoft.Extensions.Logging;

namespace RootCx.Vault.Diagnostics;

/// <summary>
/// The vault's log messages, with stable event ids. They carry scopes, names, versions, key ids and paths; never a
/// value or key material.
/// </summary>
internal static partial class VaultLog
{
    [LoggerMessage(1, LogLevel.Information, "Master key {KeyId} loaded from {Source}.")]
    public static partial void MasterKeyLoaded(ILogger logger, MasterKeyId keyId, string source);

    [LoggerMessage(2, LogLevel.Warning, "Created master key {KeyId} in {Path}. Back this file up: without it no secret can be decrypted.")]
    public static partial void MasterKeyCreated(ILogger logger, MasterKeyId keyId, string path);

    [LoggerMessage(3, LogLevel.Warning, "The master key file {Path} can be read by other users; restrict it to its owner (chmod 600).")]
    public static partial void MasterKeyFileReadableByOthers(ILogger logger, string path);

    [LoggerMessage(4, LogLevel.Error, "Start-up key check failed: {Reason}")]
    public static partial void KeyCheckFailed(ILogger logger, string reason);

    [LoggerMessage(5, LogLevel.Information, "The store recorded master key {KeyId} (admitted by {AdmittedBy}).")]
    public static partial void KeyRecorded(ILogger logger, MasterKeyId keyId, string admittedBy);

    [LoggerMessage(6, LogLevel.Information, "Master key {KeyId} seals nothing any more and was removed from the store's key record.")]
    public static partial void KeyRetired(ILogger logger, MasterKeyId keyId);

    [LoggerMessage(7, LogLevel.Warning, "Master key {KeyId} still seals secrets after the rotation (another process writes under it); rotate again once every host seals under {ActiveKeyId}.")]
    public static partial void KeyStillInUse(ILogger logger, MasterKeyId keyId, MasterKeyId activeKeyId);

    [LoggerMessage(10, LogLevel.Information, "Secret {Name} in {Scope} set (version {Version}, key {KeyId}).")]
    public static partial void SecretSet(ILogger logger, SecretScope scope, string name, long version, MasterKeyId keyId);

    [LoggerMessage(11, LogLevel.Information, "Secret {Name} in {Scope} deleted.")]
    public static partial void SecretDeleted(ILogger logger, SecretScope scope, string name);

    [LoggerMessage(16, LogLevel.Information, "Secret {Name} in {Scope} recovered (version {Version}).")]
    public static partial void SecretRecovered(ILogger logger, SecretScope scope, string name, long version);

    [LoggerMessage(17, LogLevel.Information, "Deleted secret {Name} in {Scope} purged (version {Version}), with its history.")]
    public static partial void SecretPurged(ILogger logger, SecretScope scope, string name, long version);

    [LoggerMessage(18, LogLevel.Error, "Deleted secrets could not be purged; the purge service tries again at its next interval.")]
    public static partial void PurgeFailed(ILogger logger, Exception exception);

    [LoggerMessage(33, LogLevel.Warning, "The audit trail could not be read for the writers of {Name} in {Scope}; versions are listed without them.")]
    public static partial void AuditReadFailed(ILogger logger, SecretScope scope, string name, Exception exception);

    [LoggerMessage(14, LogLevel.Information, "Key rotation re-sealed {Count} envelope(s) under master key {KeyId}.")]
    public static partial void Rotated(ILogger logger, int count, MasterKeyId keyId);

    [LoggerMessage(12, LogLevel.Information, "Secrets of {Scope} changed; notifying watchers.")]
    public static partial void ScopeChanged(ILogger logger, SecretScope scope);

    [LoggerMessage(13, LogLevel.Warning, "Could not check the store for changes; will retry at the next poll.")]
    public static partial void ChangeCheckFailed(ILogger logger, Exception exception);

    [LoggerMessage(15, LogLevel.Error, "A change callback for {Scope} threw; the other callbacks still ran.")]
    public static partial void ChangeCallbackFailed(ILogger logger, SecretScope scope, Exception exception);

    [LoggerMessage(20, LogLevel.Information, "Decrypted {Count} secret(s) of {Scope} for the runtime.")]
    public static partial void SecretsDecrypted(ILogger logger, SecretScope scope, int count);

    [LoggerMessage(22, LogLevel.Warning, "Secret {Name} of {Scope} has the name of a runtime-owned variable; overridden: {Overridden}.")]
    public static partial void ReservedVariableConflict(ILogger logger, SecretScope scope, string name, bool overridden);

    [LoggerMessage(21, LogLevel.Error, "Secret {Name} in {Scope} could not be decrypted.")]
    public static partial void DecryptionFailed(ILogger logger, SecretScope scope, string name, Exception exception);

    [LoggerMessage(30, LogLevel.Error, "Audit sink {Sink} could not record {Action} of {Name} in {Scope}; the operation itself succeeded or failed as reported.")]
    public static partial void AuditWriteFailed(ILogger logger, string sink, SecretAuditAction action, SecretScope scope, string? name, Exception exception);

    [LoggerMessage(31, LogLevel.Information, "Audit: {Actor} {Action} {Scope}/{Name} version {Version} key {KeyId}: {Outcome}.")]
    public static partial void Audited(ILogger logger, string actor, SecretAuditAction action, SecretScope scope, string? name, long? version, MasterKeyId? keyId, SecretAuditOutcome outcome);

    [LoggerMessage(32, LogLevel.Error, "Audit actor {Actor} could not name the caller; the event is recorded with actor 'unknown'.")]
    public static partial void AuditActorFailed(ILogger logger, string actor, Exception exception);
}
