using System.Security.Cryptography;
using System.Text.Json;
using RootCx.Vault.Testing;

namespace RootCx.Vault.Cli.Tests;

/// <summary>
/// A source store (the base class's, under <see cref="TestKeys.Primary"/>) and a second, empty target store of the
/// same kind under another master key, with helpers to export from one and import into the other.
/// </summary>
public abstract class BackupTestBase(string storeKind) : CliTestBase(storeKind)
{
    protected const string Passphrase = "correct horse battery staple";

    private StoreUnderTest? _target;

    protected string BackupPath => Path.Combine(Folder, "backup.rcxb");

    protected string BackupKeyFile { get; private set; } = "";

    protected string PassphraseFile { get; private set; } = "";

    protected string TargetLocation => _target!.Location;

    [SetUp]
    public async Task CreateTargetAsync()
    {
        _target = await StoreUnderTest.CreateAsync(StoreKind, Folder, "target");
        BackupKeyFile = WriteFile("backup.key", RandomNumberGenerator.GetHexString(64, lowercase: true) + "\n");
        PassphraseFile = WriteFile("passphrase.txt", Passphrase + "\n");
    }

    [TearDown]
    public async Task DropTargetAsync()
    {
        if (_target is not null)
        {
            await _target.DisposeAsync();
        }
    }

    /// <summary>Exports the source store under the backup key file to <see cref="BackupPath"/>; asserts it worked.</summary>
    private protected async Task<CliResult> ExportAsync(params string[] extra)
    {
        CliResult export = await Tool.RunAsync(["export", "--out", BackupPath, "--backup-key-file", BackupKeyFile, .. extra]);
        Assert.That(export.ExitCode, Is.Zero, export.ToString());
        return export;
    }

    /// <summary>Runs the tool on the target store, under its own master key.</summary>
    private protected async Task<CliResult> OnTargetAsync(params string[] args)
    {
        string source = Tool.Environment["ROOTCX_VAULT_STORE"];
        Tool.Environment["ROOTCX_VAULT_STORE"] = TargetLocation;
        Tool.Environment["ROOTCX_MASTER_KEY"] = TestKeys.Secondary;
        try
        {
            return await Tool.RunAsync(args);
        }
        finally
        {
            Tool.Environment["ROOTCX_VAULT_STORE"] = source;
            Tool.Environment["ROOTCX_MASTER_KEY"] = TestKeys.Primary;
        }
    }

    private protected Task<CliResult> ImportAsync(string mode, params string[] extra) =>
        OnTargetAsync(["import", BackupPath, "--mode", mode, "--backup-key-file", BackupKeyFile, .. extra]);

    /// <summary>Sets a secret in the target store.</summary>
    protected async Task<string> SetOnTargetAsync(string scope, string name, string? value = null)
    {
        string source = Tool.Environment["ROOTCX_VAULT_STORE"];
        Tool.Environment["ROOTCX_VAULT_STORE"] = TargetLocation;
        Tool.Environment["ROOTCX_MASTER_KEY"] = TestKeys.Secondary;
        try
        {
            return await SetAsync(scope, name, value);
        }
        finally
        {
            Tool.Environment["ROOTCX_VAULT_STORE"] = source;
            Tool.Environment["ROOTCX_MASTER_KEY"] = TestKeys.Primary;
        }
    }

    /// <summary>Everything the target holds, as <c>scope/NAME=value</c> lines read through <c>run</c>, sorted.</summary>
    protected async Task<string[]> TargetContentAsync(params string[] scopes)
    {
        var lines = new List<string>();
        foreach (string scope in scopes)
        {
            string[] names = await TargetNamesAsync(scope);
            foreach (string name in names)
            {
                lines.Add($"{scope}/{name}={await TargetValueAsync(scope, name)}");
            }
        }

        return [.. lines.Order(StringComparer.Ordinal)];
    }

    protected async Task<string[]> TargetNamesAsync(string scope)
    {
        CliResult list = await OnTargetAsync(scope == "_platform" ? ["list", "--platform", "--json"] : ["list", scope, "--json"]);
        if (list.ExitCode != 0)
        {
            return [];
        }

        using JsonDocument json = JsonDocument.Parse(list.Output);
        return [.. json.RootElement.EnumerateArray().Select(s => s.GetProperty("name").GetString()!)];
    }

    /// <summary>A value in the target, as a child started by <c>run</c> sees it (written to a file, not the tool's output).</summary>
    protected async Task<string> TargetValueAsync(string scope, string name)
    {
        string seen = Path.Combine(Folder, $"seen-{Guid.NewGuid():N}.txt");
        string[] run = scope == "_platform"
            ? ["run", "--app", "probe", "--include-platform", "--", "sh", "-c", $"printenv {name} > \"$0\"", seen]
            : ["run", "--app", scope, "--", "sh", "-c", $"printenv {name} > \"$0\"", seen];
        CliResult result = await OnTargetAsync(run);
        Assert.That(result.ExitCode, Is.Zero, result.ToString());
        string value = (await File.ReadAllTextAsync(seen)).TrimEnd('\n');
        File.Delete(seen);
        return value;
    }

    /// <summary>Files in the test folder whose name says they are a temporary file.</summary>
    protected string[] TemporaryFiles() => [.. Directory.GetFiles(Folder, "*.tmp").Select(Path.GetFileName)!];
}
