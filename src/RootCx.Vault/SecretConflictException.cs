using System.Globalization;

namespace RootCx.Vault;

/// <summary>
/// A conditional write was refused because the secret is not what its <see cref="SecretPrecondition"/> required:
/// someone else changed, created or deleted it since it was read. Nothing was written. Hosts map it to
/// 412 Precondition Failed (or 409 Conflict); the message names the secret and versions, never a value.
/// </summary>
public sealed class SecretConflictException : RootCxVaultException
{
    /// <summary>Creates the error for a refused write. Stores raise it from the check they make with the write.</summary>
    /// <param name="scope">The secret's scope.</param>
    /// <param name="name">The secret's name.</param>
    /// <param name="precondition">What the write required.</param>
    /// <param name="currentVersion">The live secret's version when the write was refused, or <see langword="null"/> when there was none.</param>
    public SecretConflictException(SecretScope scope, SecretName name, SecretPrecondition precondition, long? currentVersion)
        : base(Describe(scope, name, precondition, currentVersion))
    {
        ArgumentNullException.ThrowIfNull(scope);
        Scope = scope;
        Name = name.Value;
        Precondition = precondition;
        CurrentVersion = currentVersion;
    }

    /// <summary>Gets the secret's scope.</summary>
    public SecretScope Scope { get; }

    /// <summary>Gets the secret's name, as the write spelled it.</summary>
    public string Name { get; }

    /// <summary>Gets what the write required.</summary>
    public SecretPrecondition Precondition { get; }

    /// <summary>Gets the live secret's version when the write was refused, or <see langword="null"/> when there was none.</summary>
    public long? CurrentVersion { get; }

    private static string Describe(SecretScope scope, SecretName name, SecretPrecondition precondition, long? currentVersion)
    {
        string expected = precondition.RequiresAbsent ? "expected not to exist" : $"expected at {precondition}";
        string current = currentVersion is { } version ? "is at version " + version.ToString(CultureInfo.InvariantCulture) : "does not exist";
        return $"The secret '{name}' in scope '{scope}' was {expected} but {current}: it was changed meanwhile, and nothing was written.";
    }
}
