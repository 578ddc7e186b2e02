using System.CommandLine;

namespace RootCx.Vault.Cli.Hosting;

/// <summary>The options every store command shares: which store, where the key comes from, the hosts' lifecycle settings.</summary>
internal sealed record VaultSettings(StoreLocation Store, string? KeyFile, IReadOnlyList<string> PreviousKeyFiles, LifecycleSettings? Lifecycle = null)
{
    public static readonly Option<string> StoreOption = new("--store")
    {
        Description = $"The store: file:PATH, postgresql:CONNECTION-STRING or sqlserver:CONNECTION-STRING. Default: ${StoreLocation.EnvironmentVariable}.",
        Recursive = true,
    };

    public static readonly Option<string> KeyFileOption = new("--key-file")
    {
        Description = $"The master key file, used when {RootCxVaultOptions.MasterKeyEnvironmentVariable} is unset. Default: config/master.key.",
        Recursive = true,
    };

    public static readonly Option<string[]> PreviousKeyFileOption = new("--previous-key-file")
    {
        Description = "A file holding a previous master key (64 hex characters) that still opens envelopes but never seals; repeat for several. For rotate.",
        Recursive = true,
    };

    public static VaultSettings Read(ParseResult parse) => new(
        StoreLocation.Resolve(parse.GetValue(StoreOption)),
        parse.GetValue(KeyFileOption),
        parse.GetValue(PreviousKeyFileOption) ?? [],
        LifecycleSettings.Read(parse));
}
