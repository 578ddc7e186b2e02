using System.Diagnostics;
using System.Security.Cryptography;
using System.Text;

namespace RootCx.Vault.Tests.Runtime;

public class SecretInjectorTests
{
    private const string AppValue = "sk_live_injected_value_0d9e";
    private static readonly SecretScope Shop = SecretScope.ForApp("shop");

    [Test]
    public async Task Each_app_secret_becomes_a_variable_and_platform_secrets_stay_out_by_default()
    {
        await using var vault = new VaultHarness();
        await vault.Vault.SetAsync(Shop, "STRIPE_KEY", AppValue);
        await vault.Vault.SetAsync(SecretScope.Platform, "SLACK_TOKEN", "platform");

        using SecretEnvironment environment = await vault.Injector.BuildEnvironmentAsync("shop");
        var applied = new Dictionary<string, string?>();
        environment.ApplyTo(applied);

        Assert.That(applied, Is.EqualTo(new Dictionary<string, string?> { ["STRIPE_KEY"] = AppValue }));
        Assert.That(environment.ToString(), Is.EqualTo("SecretEnvironment(STRIPE_KEY)"));
    }

    [Test]
    public async Task Platform_secrets_come_in_when_the_host_opts_in_and_app_secrets_win_over_them()
    {
        await using var vault = new VaultHarness(injection: o => o.IncludePlatformSecrets = true);
        await vault.Vault.SetAsync(SecretScope.Platform, "SLACK_TOKEN", "platform-slack");
        await vault.Vault.SetAsync(SecretScope.Platform, "SHARED", "platform-shared");
        await vault.Vault.SetAsync(Shop, "shared", "app-shared");

        using SecretEnvironment environment = await vault.Injector.BuildEnvironmentAsync("shop");
        var applied = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
        environment.ApplyTo(applied);

        Assert.That(applied["SLACK_TOKEN"], Is.EqualTo("platform-slack"));
        Assert.That(applied["SHARED"], Is.EqualTo("app-shared"));
        Assert.That(applied, Has.Count.EqualTo(2));
    }

    [TestCase("PATH")]
    [TestCase("home")]
    [TestCase("LD_PRELOAD")]
    [TestCase("NODE_OPTIONS")]
    [TestCase("ROOTCX_APP_ID")]
    public async Task A_secret_named_like_a_runtime_variable_is_reported_and_not_applied(string name)
    {
        await using var vault = new VaultHarness();
        await vault.Vault.SetAsync(Shop, name, AppValue);
        await vault.Vault.SetAsync(Shop, "FINE", "fine");

        using SecretEnvironment environment = await vault.Injector.BuildEnvironmentAsync("shop");
        var applied = new Dictionary<string, string?> { [name] = "runtime-owned" };
        environment.ApplyTo(applied);

        Assert.Multiple(() =>
        {
            Assert.That(environment.Conflicts, Is.EqualTo(new[] { name }));
            Assert.That(applied[name], Is.EqualTo("runtime-owned"));
            Assert.That(applied["FINE"], Is.EqualTo("fine"));
            Assert.That(vault.AllLogText, Does.Contain(name).And.Contain("runtime-owned").And.Not.Contain(AppValue));
        });
    }

    [Test]
    public async Task A_host_may_allow_overriding_a_reserved_variable_and_the_clash_is_still_reported()
    {
        await using var vault = new VaultHarness(injection: o =>
        {
            o.AllowReservedOverride = true;
            o.ReservedVariables.Add("APP_MODE");
        });
        await vault.Vault.SetAsync(Shop, "APP_MODE", "from-secret");

        using SecretEnvironment environment = await vault.Injector.BuildEnvironmentAsync("shop");
        var applied = new Dictionary<string, string?> { ["APP_MODE"] = "runtime" };
        environment.ApplyTo(applied);

        Assert.That(applied["APP_MODE"], Is.EqualTo("from-secret"));
        Assert.That(environment.Conflicts, Is.EqualTo(new[] { "APP_MODE" }));
    }

    [Test]
    public async Task Disposing_the_environment_clears_the_values()
    {
        await using var vault = new VaultHarness();
        await vault.Vault.SetAsync(Shop, "STRIPE_KEY", AppValue);
        SecretEnvironment environment = await vault.Injector.BuildEnvironmentAsync("shop");

        environment.Dispose();

        Assert.Throws<ObjectDisposedException>(() => environment.ApplyTo(new Dictionary<string, string?>()));
    }

    [Test]
    [Platform(Exclude = "Win")]
    public async Task A_real_child_process_sees_the_injected_variables()
    {
        await using var vault = new VaultHarness();
        await vault.Vault.SetAsync(Shop, "STRIPE_KEY", AppValue);
        await vault.Vault.SetAsync(Shop, "PATH", "/nowhere");

        // The child prints a digest of the variable, so the value itself never reaches any output.
        var start = new ProcessStartInfo("/bin/sh", ["-c", "printf %s \"$STRIPE_KEY\" | sha256sum; printf %s \"$PATH\" | sha256sum"])
        {
            RedirectStandardOutput = true,
        };
        using (SecretEnvironment environment = await vault.Injector.BuildEnvironmentAsync("shop"))
        {
            environment.ApplyTo(start);
        }

        using Process child = Process.Start(start)!;
        string[] digests = (await child.StandardOutput.ReadToEndAsync()).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        await child.WaitForExitAsync();

        Assert.That(digests[0], Does.StartWith(Sha256(AppValue)));
        Assert.That(digests[1], Does.StartWith(Sha256(Environment.GetEnvironmentVariable("PATH")!)), "PATH stays the runtime's");
    }

    [Test]
    [Platform(Exclude = "Win")]
    public async Task Starting_the_process_through_the_environment_leaves_no_value_in_the_start_info_it_keeps()
    {
        await using var vault = new VaultHarness();
        await vault.Vault.SetAsync(Shop, "STRIPE_KEY", AppValue);
        var start = new ProcessStartInfo("/bin/sh", ["-c", "printf %s \"$STRIPE_KEY\" | sha256sum"]) { RedirectStandardOutput = true };

        Process child;
        using (SecretEnvironment environment = await vault.Injector.BuildEnvironmentAsync("shop"))
        {
            child = environment.StartProcess(start);
        }

        using (child)
        {
            string digest = await child.StandardOutput.ReadToEndAsync();
            await child.WaitForExitAsync();

            Assert.That(digest, Does.StartWith(Sha256(AppValue)), "the child still received the value");
            Assert.That(child.StartInfo.Environment.ContainsKey("STRIPE_KEY"), Is.False);
            Assert.That(child.StartInfo.Environment.Values, Has.None.EqualTo(AppValue));
        }
    }

    private static string Sha256(string text) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)));
}
