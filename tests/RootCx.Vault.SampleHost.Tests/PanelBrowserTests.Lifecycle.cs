using System.Net.Http.Json;
using System.Text.RegularExpressions;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace RootCx.Vault.SampleHost.Tests;

/// <summary>The panel's History and Deleted views: restore an older version, recover and purge a deleted secret.</summary>
public partial class PanelBrowserTests
{
    [Test]
    public async Task History_lists_the_versions_and_restoring_version_1_makes_it_the_newest_which_the_runtime_reads()
    {
        await ConnectAndOpenShopAsync();
        await AddSecretAsync("STRIPE_KEY", AppValue + "-v1");
        await SaveAsync("STRIPE_KEY", AppValue + "-v2", "Saved STRIPE_KEY (version 2).");

        await _page.ClickAsync("#secrets tr[data-key='STRIPE_KEY'] button.history");
        await Assertions.Expect(_page.Locator("#history")).ToBeVisibleAsync();
        await Assertions.Expect(_page.Locator("#history-title")).ToHaveTextAsync("History of STRIPE_KEY");
        await Assertions.Expect(_page.Locator("#versions tr")).ToHaveCountAsync(2);
        await Assertions.Expect(_page.Locator("#versions tr").First).ToHaveAttributeAsync("data-version", "2");
        await Assertions.Expect(_page.Locator("#versions tr[data-version='2']")).ToContainTextAsync("Current");
        await Assertions.Expect(_page.Locator("#versions tr[data-version='2']")).ToContainTextAsync("user:admin");
        await Assertions.Expect(_page.Locator("#versions tr[data-version='2'] button.restore")).ToHaveCountAsync(0);
        await Assertions.Expect(_page.Locator("#versions tr[data-version='1'] td").Nth(3)).ToHaveTextAsync(new Regex("^[0-9a-f]{8}$"));

        await _page.ClickAsync("#versions tr[data-version='1'] button.restore");

        await Assertions.Expect(_page.Locator("#status")).ToHaveTextAsync("Restored STRIPE_KEY version 1 as version 3.");
        await Assertions.Expect(_page.Locator("#versions tr")).ToHaveCountAsync(3);
        await Assertions.Expect(_page.Locator("#versions tr[data-version='3']")).ToContainTextAsync("Current");
        await Assertions.Expect(_page.Locator("#versions tr[data-version='2'] button.restore")).ToBeVisibleAsync();
        Assert.That(await RuntimeValueAsync(SecretScope.ForApp("shop"), "STRIPE_KEY"), Is.EqualTo(AppValue + "-v1"));

        string screenshot = Path.Combine(TestContext.CurrentContext.WorkDirectory, "secret-vault-history.png");
        await _page.ScreenshotAsync(new PageScreenshotOptions { Path = screenshot, FullPage = true });
        TestContext.AddTestAttachment(screenshot, "The history view after restoring version 1");
        await AssertValueIsNowhereAsync(AppValue);

        await _page.ClickAsync("#history-back");
        await Assertions.Expect(_page.Locator("#secrets tr[data-key='STRIPE_KEY'] td").Nth(2)).ToHaveTextAsync("3");
    }

    [Test]
    public async Task A_restore_after_someone_else_changed_the_secret_is_refused_with_a_clear_message()
    {
        using HttpClient api = _host.CreateAdminClient();
        (await api.PostAsJsonAsync("/api/v1/apps/shop/secrets", new { key = "STRIPE_KEY", value = AppValue + "-v1" })).EnsureSuccessStatusCode();
        (await api.PostAsJsonAsync("/api/v1/apps/shop/secrets", new { key = "STRIPE_KEY", value = AppValue + "-v2" })).EnsureSuccessStatusCode();
        await ConnectAndOpenShopAsync();
        await _page.ClickAsync("#secrets tr[data-key='STRIPE_KEY'] button.history");
        await Assertions.Expect(_page.Locator("#versions tr")).ToHaveCountAsync(2);

        (await api.PostAsJsonAsync("/api/v1/apps/shop/secrets", new { key = "STRIPE_KEY", value = AppValue + "-v3" })).EnsureSuccessStatusCode();
        await _page.ClickAsync("#versions tr[data-version='1'] button.restore");

        await Assertions.Expect(_page.Locator("#status")).ToContainTextAsync("changed meanwhile");
        await Assertions.Expect(_page.Locator("#status")).ToContainTextAsync("Nothing was restored");
        await Assertions.Expect(_page.Locator("#status")).ToHaveClassAsync("error");
        await Assertions.Expect(_page.Locator("#versions tr")).ToHaveCountAsync(3);
        await Assertions.Expect(_page.Locator("#versions tr[data-version='3']")).ToContainTextAsync("Current");
        Assert.That(await RuntimeValueAsync(SecretScope.ForApp("shop"), "STRIPE_KEY"), Is.EqualTo(AppValue + "-v3"), "the other change stands");
    }

    [Test]
    public async Task A_deleted_secret_appears_under_Deleted_with_its_times_and_Recover_brings_it_back()
    {
        await ConnectAndOpenShopAsync();
        await AddSecretAsync("STRIPE_KEY", AppValue);
        await DeleteSecretAsync("STRIPE_KEY");
        Assert.That(_dialogs[^1], Does.Contain("recoverable"), "the delete says it can be undone");

        await _page.ClickAsync("#view-deleted");
        ILocator row = _page.Locator("#deleted-secrets tr[data-key='STRIPE_KEY']");
        await Assertions.Expect(row).ToBeVisibleAsync();
        await Assertions.Expect(_page.Locator("#live")).ToBeHiddenAsync();
        await Assertions.Expect(row.Locator("td").Nth(1)).ToHaveTextAsync("1");
        foreach (int time in new[] { 2, 3 })
        {
            await Assertions.Expect(row.Locator("td").Nth(time)).Not.ToBeEmptyAsync();
            await Assertions.Expect(row.Locator("td").Nth(time)).Not.ToHaveTextAsync("Invalid Date");
        }

        await row.Locator("button.recover").ClickAsync();

        await Assertions.Expect(_page.Locator("#status")).ToHaveTextAsync("Recovered STRIPE_KEY (version 1).");
        await Assertions.Expect(_page.Locator("#deleted-secrets tr")).ToHaveCountAsync(0);
        await Assertions.Expect(_page.Locator("#deleted-empty")).ToBeVisibleAsync();
        await _page.ClickAsync("#view-live");
        await Assertions.Expect(_page.Locator("#secrets tr[data-key='STRIPE_KEY']")).ToBeVisibleAsync();
        Assert.That(await RuntimeValueAsync(SecretScope.ForApp("shop"), "STRIPE_KEY"), Is.EqualTo(AppValue));
        await AssertValueIsNowhereAsync(AppValue);
    }

    [Test]
    public async Task Purge_asks_first_and_then_the_secret_is_gone_from_both_views()
    {
        await ConnectAndOpenShopAsync();
        await _page.ClickAsync("#tab-shared");
        await AddSecretAsync("SLACK_TOKEN", SharedValue);
        await DeleteSecretAsync("SLACK_TOKEN");
        await _page.ClickAsync("#view-deleted");
        ILocator row = _page.Locator("#deleted-secrets tr[data-key='SLACK_TOKEN']");
        await Assertions.Expect(row).ToBeVisibleAsync();

        // Dismissed, the confirmation purges nothing.
        _acceptDialogs = false;
        await row.Locator("button.purge").ClickAsync();
        Assert.That(() => _dialogs.ToArray(), Has.Some.StartsWith("Purge SLACK_TOKEN?").After(5000, 50));
        Assert.That(_dialogs[^1], Does.Contain("cannot be undone"));
        using HttpClient api = _host.CreateAdminClient();
        Assert.That(await api.GetStringAsync("/api/v1/platform/deleted-secrets"), Does.Contain("SLACK_TOKEN"));
        await Assertions.Expect(row).ToBeVisibleAsync();

        _acceptDialogs = true;
        await row.Locator("button.purge").ClickAsync();

        await Assertions.Expect(_page.Locator("#status")).ToHaveTextAsync("Purged SLACK_TOKEN.");
        await Assertions.Expect(_page.Locator("#deleted-secrets tr")).ToHaveCountAsync(0);
        await _page.ClickAsync("#view-live");
        await Assertions.Expect(_page.Locator("#secrets tr")).ToHaveCountAsync(0);
        Assert.That(await api.GetStringAsync("/api/v1/platform/secrets"), Is.EqualTo("[]"));
        Assert.That(await api.GetStringAsync("/api/v1/platform/deleted-secrets"), Is.EqualTo("[]"));
        await AssertValueIsNowhereAsync(SharedValue);
    }

    private async Task SaveAsync(string key, string value, string status)
    {
        await _page.FillAsync("#secret-key", key);
        await _page.FillAsync("#secret-value", value);
        await _page.ClickAsync("#add-secret button");
        await Assertions.Expect(_page.Locator("#status")).ToHaveTextAsync(status);
    }

    private async Task<string?> RuntimeValueAsync(SecretScope scope, string name)
    {
        using SecretValue? value = await _host.Services.GetRequiredService<ISecretReader>().GetAsync(scope, name);
        return value?.RevealString();
    }
}
