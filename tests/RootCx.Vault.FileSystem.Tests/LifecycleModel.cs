using RootCx.Vault.StoreWorker;

namespace RootCx.Vault.FileSystem.Tests;

/// <summary>
/// What one name must hold after a sequence of lifecycle steps, by the store contract (the rules
/// <c>InMemorySecretStore</c> implements), with the vault's default version limit.
/// </summary>
/// <param name="Value">The live or deleted secret's value; <see langword="null"/> when the name holds none (never set, or purged).</param>
/// <param name="Version">The secret's version; without a secret, the last version the name had (0 when never set).</param>
/// <param name="IsDeleted">Whether the secret is deleted (recoverable).</param>
/// <param name="History">The older versions kept, newest first.</param>
internal sealed record LifecycleModel(string? Value, long Version, bool IsDeleted, long[] History)
{
    public static LifecycleModel Empty { get; } = new(null, 0, false, []);

    public LifecycleModel Apply(LifecycleStep step) => step.Operation switch
    {
        LifecycleOperation.Set => new(step.Value, Version + 1, false, Value is null || IsDeleted ? [] : [.. History.Prepend(Version).Take(RootCxVaultOptions.DefaultMaxVersions - 1)]),
        LifecycleOperation.Delete when Value is not null && !IsDeleted => this with { IsDeleted = true },
        LifecycleOperation.Recover when Value is not null && IsDeleted => this with { IsDeleted = false },
        LifecycleOperation.Purge when Value is not null && IsDeleted => new(null, Version, false, []),
        _ => this,
    };

    /// <summary>What can be seen of the name: a deleted secret's value cannot be read, nor a purged name's version.</summary>
    public string Describe() => Describe(Value is null ? null : IsDeleted ? "deleted" : "live", Version, IsDeleted ? null : Value, History);

    public static string Describe(string? state, long version, string? value, IEnumerable<long> history) =>
        state is null ? $"absent, history [{string.Join(", ", history)}]" : $"{state} v{version} {value}, history [{string.Join(", ", history)}]";
}
