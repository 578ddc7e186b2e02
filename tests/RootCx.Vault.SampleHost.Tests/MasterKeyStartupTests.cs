using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.RegularExpressions;

namespace RootCx.Vault.SampleHost.Tests;

/// <summary>
/// The built sample host started as a real process on a data folder whose store was set up under another key: one
/// message without a stack trace, exit code 1, no key in the output.
/// </summary>
public class MasterKeyStartupTests
{
    private const string OtherKey = "5be1f0c2a9d84e7f36b0c1d2e3f405162738495a6b7c8d9eafb0c1d2e3f40516";
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    private static IEnumerable<TestCaseData> WrongKeys()
    {
        yield return new TestCaseData(OtherKey, false, "The configured master key is wrong").SetName("another key");
        yield return new TestCaseData("not-a-hex-key", false, "must be exactly 64 hexadecimal characters").SetName("a malformed key");
        yield return new TestCaseData(null, true, "Restore the key file from a backup").SetName("no key and the key file gone");
    }

    [TestCaseSource(nameof(WrongKeys))]
    public async Task A_wrong_master_key_ends_the_host_with_exit_code_1_and_one_message(string? masterKey, bool deleteKeyFile, string message)
    {
        // First boot creates the key file; a secret sealed under that key ties the store to it.
        using var first = new SampleHostFactory();
        using HttpClient api = first.CreateAdminClient();
        using HttpResponseMessage created = await api.PostAsJsonAsync("/api/v1/platform/secrets", new { key = "TOKEN", value = "first-boot-value" });
        Assert.That(created.StatusCode, Is.EqualTo(HttpStatusCode.Created));
        string keyFile = Path.Combine(first.DataPath, "config", "master.key");
        string storeKey = File.ReadAllText(keyFile).Trim();
        if (deleteKeyFile)
        {
            File.Delete(keyFile);
        }

        (int exitCode, string output) = await RunHostAsync(first.DataPath, masterKey);

        Assert.Multiple(() =>
        {
            Assert.That(exitCode, Is.EqualTo(1), output);
            Assert.That(Regex.Count(output, Regex.Escape(message)), Is.EqualTo(1), output);
            Assert.That(output, Does.Not.Contain("   at "), "no stack trace");
            Assert.That(output, Does.Not.Contain(storeKey).IgnoreCase.And.Not.Contain(OtherKey).IgnoreCase, "no key material");
            Assert.That(File.Exists(keyFile), Is.Not.EqualTo(deleteKeyFile), "no new key file over existing data");
        });
    }

    [Test]
    public async Task A_store_that_cannot_be_reached_ends_the_host_with_exit_code_1_and_one_message()
    {
        using var data = new SampleHostFactory();
        const string Password = "hunter2-db-password";

        (int exitCode, string output) = await RunHostAsync(
            data.DataPath,
            OtherKey,
            ("ConnectionStrings__Vault", $"Host=127.0.0.1;Port=1;Database=vault;Username=rootcx;Password={Password};Timeout=2"));

        Assert.Multiple(() =>
        {
            Assert.That(exitCode, Is.EqualTo(1), output);
            Assert.That(Regex.Count(output, Regex.Escape("The sample host cannot start: The store PostgreSqlSecretStore(127.0.0.1:1/vault)")), Is.EqualTo(1), output);
            Assert.That(output, Does.Not.Contain("   at "), "no stack trace");
            Assert.That(output, Does.Not.Contain(Password), "no credentials");
        });
    }

    private static async Task<(int ExitCode, string Output)> RunHostAsync(string dataPath, string? masterKey, params (string Name, string Value)[] settings)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = AppContext.BaseDirectory,
            Environment =
            {
                ["Vault__DataPath"] = dataPath,
                ["Admin__ApiKey"] = SampleHostFactory.ApiKey,
                ["ASPNETCORE_URLS"] = "http://127.0.0.1:0",
            },
        };
        start.Environment.Remove("ROOTCX_MASTER_KEY");
        if (masterKey is not null)
        {
            start.Environment["ROOTCX_MASTER_KEY"] = masterKey;
        }

        foreach ((string name, string value) in settings)
        {
            start.Environment[name] = value;
        }

        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "RootCx.Vault.SampleHost.dll"));
        using Process process = Process.Start(start)!;
        Task<string> stdout = process.StandardOutput.ReadToEndAsync();
        Task<string> stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(Patience);
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            Assert.Fail($"The host was still running after {Patience.TotalSeconds} s: {await stdout}{await stderr}");
        }

        return (process.ExitCode, await stdout + await stderr);
    }
}
