using System.Globalization;

namespace RootCx.Vault;

/// <summary>
/// What a secret must be for a write to go ahead: anything (<see cref="None"/>), absent (<see cref="IfAbsent"/>, a
/// create-only set), or at a version read before (<see cref="IfVersion"/>, check-and-set). The store checks it
/// atomically with the write; on a mismatch the write raises <see cref="SecretConflictException"/> and changes nothing.
/// </summary>
/// <remarks>
/// So that two people editing one secret cannot overwrite each other silently: each writes at the version it saw, and
/// the second is refused. HTTP hosts map it from <c>If-Match</c> and <c>If-None-Match: *</c>.
/// </remarks>
public readonly struct SecretPrecondition : IEquatable<SecretPrecondition>
{
    // 0 means none, -1 absent, anything above a version: versions start at 1.
    private const long Absent = -1;
    private readonly long _condition;

    private SecretPrecondition(long condition) => _condition = condition;

    /// <summary>Gets the precondition that always holds: the write goes ahead whatever the secret is.</summary>
    public static SecretPrecondition None => default;

    /// <summary>Gets the precondition of a create-only write: the secret must not exist (a deleted one does not).</summary>
    public static SecretPrecondition IfAbsent { get; } = new(Absent);

    /// <summary>Gets whether this is <see cref="None"/>.</summary>
    public bool IsNone => _condition == 0;

    /// <summary>Gets whether the secret must not exist.</summary>
    public bool RequiresAbsent => _condition == Absent;

    /// <summary>Gets the version the secret must be at, or <see langword="null"/> when no version is required.</summary>
    public long? ExpectedVersion => _condition > 0 ? _condition : null;

    /// <summary>The precondition of a check-and-set: the secret must exist at <paramref name="version"/>.</summary>
    /// <param name="version">The version read before, at least 1.</param>
    /// <returns>The precondition.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="version"/> is below 1.</exception>
    public static SecretPrecondition IfVersion(long version)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(version, 1);
        return new(version);
    }

    /// <summary>Compares two preconditions.</summary>
    /// <param name="left">One precondition.</param>
    /// <param name="right">The other.</param>
    /// <returns><see langword="true"/> when they require the same.</returns>
    public static bool operator ==(SecretPrecondition left, SecretPrecondition right) => left.Equals(right);

    /// <summary>Compares two preconditions.</summary>
    /// <param name="left">One precondition.</param>
    /// <param name="right">The other.</param>
    /// <returns><see langword="true"/> when they require different things.</returns>
    public static bool operator !=(SecretPrecondition left, SecretPrecondition right) => !left.Equals(right);

    /// <summary>Tells whether a secret currently at <paramref name="currentVersion"/> satisfies the precondition.</summary>
    /// <param name="currentVersion">The live secret's version, or <see langword="null"/> when there is none.</param>
    /// <returns><see langword="true"/> when the write may go ahead.</returns>
    public bool IsMetBy(long? currentVersion) => _condition switch
    {
        0 => true,
        Absent => currentVersion is null,
        _ => currentVersion == _condition,
    };

    /// <inheritdoc />
    public bool Equals(SecretPrecondition other) => _condition == other._condition;

    /// <inheritdoc />
    public override bool Equals(object? obj) => obj is SecretPrecondition other && Equals(other);

    /// <inheritdoc />
    public override int GetHashCode() => _condition.GetHashCode();

    /// <summary>Describes the precondition.</summary>
    /// <returns><c>none</c>, <c>absent</c> or <c>version N</c>.</returns>
    public override string ToString() => _condition switch
    {
        0 => "none",
        Absent => "absent",
        _ => "version " + _condition.ToString(CultureInfo.InvariantCulture),
    };
}
