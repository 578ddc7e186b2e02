using RootCx.Vault.Testing;

namespace RootCx.Vault.Cli.Tests;

/// <summary>
/// One fresh store and working folder per test, the tool pointed at them through ROOTCX_VAULT_STORE and
/// ROOTCX_MASTER_KEY, and a leak check after every test: no value a test set appears in anything any run wrote.
/// </summary>
public abstract class CliTestBase(string storeKind)
{
    private readonly List<string> _values = [];
    private StoreUnderTest? _store;

    protected string Folder { get; private set; } = "";

    internal RootCxVaultTool Tool { get; private set; } = null!;

    protected string StoreKind => storeKind;

    protected string StoreLocation => _store!.Location;

    [SetUp]
    public async Task CreateStoreAsync()
    {
        Folder = Directory.CreateTempSubdirectory("rootcx-cli-").FullName;
        Tool = new RootCxVaultTool(Folder);
        _store = await StoreUnderTest.CreateAsync(storeKind, Folder);
        Tool.Environment["ROOTCX_VAULT_STORE"] = _store.Location;
        Tool.Environment["ROOTCX_MASTER_KEY"] = TestKeys.Primary;
    }

    [TearDown]
    public async Task CheckForLeaksAndDropStoreAsync()
    {
        try
        {
            foreach (string text in Tool.Transcript)
            {
                foreach (string value in _values)
                {
                    Assert.That(text, Does.Not.Contain(value), "a secret value reached the tool's output");
                }
            }
        }
        finally
        {
            if (_store is not null)
            {
                await _store.DisposeAsync();
            }

            Directory.Delete(Folder, recursive: true);
        }
    }

    /// <summary>A value unique to this test, remembered for the leak check.</summary>
    protected string NewValue(string hint)
    {
        string value = $"{hint}-{Guid.NewGuid():N}";
        _values.Add(value);
        return value;
    }

    /// <summary>Sets a secret through the tool's stdin, as a script would; asserts it worked.</summary>
    protected async Task<string> SetAsync(string scope, string name, string? value = null)
    {
        value ??= NewValue(name.ToLowerInvariant());
        string[] args = scope == "--platform" ? ["set", "--platform", name] : ["set", scope, name];
        CliResult result = await Tool.RunWithInputAsync(value + "\n", args);
        Assert.That(result.ExitCode, Is.Zero, result.ToString());
        return value;
    }

    protected string WriteFile(string name, string content)
    {
        string path = Path.Combine(Folder, name);
        File.WriteAllText(path, content);
        return path;
    }
}
