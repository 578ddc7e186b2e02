namespace RootCx.Vault.Cli.Backup;

/// <summary>What an import did, secret by secret, for its summary line.</summary>
internal sealed class ImportTally
{
    public int Added { get; set; }

    public int Updated { get; set; }

    public int Unchanged { get; set; }

    public int Deleted { get; set; }

    /// <summary>Gets the conflicts left untouched, by scope and name; never a value.</summary>
    public List<string> Conflicts { get; } = [];

    public override string ToString() =>
        $"{Added} added, {Updated} updated, {Unchanged} unchanged, {Deleted} deleted, {Conflicts.Count} conflict(s)";
}
