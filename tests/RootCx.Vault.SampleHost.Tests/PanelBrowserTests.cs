using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace RootCx.Vault.SampleHost.Tests;

/// <summary>The Secret Vault panel driven in Debian's Chromium through Playwright, against a real Kestrel server.</summary>
public partial class PanelBrowserTests
{
    private const string ChromiumPath = "/usr/bin/chromium";
    private const string AppValue = "sk_live_browser_app_value_8c3d";
    private const string SharedValue = "xoxb-browser-shared-value-51f0";

    private SampleHostFactory _host = null!;
    private IPlaywright _playwright = null!;
    private IBrowser _browser = null!;
    private IPage _page = null!;
    private readonly List<string> _dialogs = [];
    private bool _acceptDialogs = true;

    [SetUp]
    public async Task StartBrowser()
    {
        if (!File.Exists(ChromiumPath))
        {
            Assert.Ignore($"{ChromiumPath} is not installed (apt-get install chromium); .ci/run installs it.");
        }

        _host = new SampleHostFactory();
        _host.UseKestrel(0);
        _host.StartServer();
        _playwright = await Playwright.CreateAsync();
        _browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = ChromiumPath,
            Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
        });
        _page = await _browser.NewPageAsync();
        _page.Dialog += async (_, dialog) =>
        {
            _dialogs.Add(dialog.Message);
            await (_acceptDialogs ? dialog.AcceptAsync() : dialog.DismissAsync());
        };
    }

    [TearDown]
    public async Task StopBrowser()
    {
        if (_browser is not null)
        {
            await _browser.DisposeAsync();
        }

        _playwright?.Dispose();
        _host?.Dispose();
    }

    [Test]
    public async Task Adds_lists_and_deletes_secrets_in_an_app_and_in_the_shared_tab_without_ever_showing_a_value()
    {
        await ConnectAndOpenShopAsync();
        await AddSecretAsync("STRIPE_KEY", AppValue);
        await AssertValueIsNowhereAsync(AppValue);

        await _page.ClickAsync("#tab-shared");
        await Assertions.Expect(_page.Locator("#scope-title")).ToHaveTextAsync("Shared (platform secrets)");
        await Assertions.Expect(_page.Locator("#choose-app")).ToBeHiddenAsync();
        await Assertions.Expect(_page.Locator("#secrets tr")).ToHaveCountAsync(0);
        await AddSecretAsync("SLACK_TOKEN", SharedValue);
        await AssertValueIsNowhereAsync(SharedValue);

        string screenshot = Path.Combine(TestContext.CurrentContext.WorkDirectory, "secret-vault-panel.png");
        await _page.ScreenshotAsync(new PageScreenshotOptions { Path = screenshot, FullPage = true });
        TestContext.AddTestAttachment(screenshot, "The panel after adding a shared secret");

        await DeleteSecretAsync("SLACK_TOKEN");
        await _page.ClickAsync("#tab-app");
        await _page.FillAsync("#app-id", "shop");
        await _page.ClickAsync("#choose-app button");
        await Assertions.Expect(_page.Locator("#secrets tr[data-key='STRIPE_KEY']")).ToBeVisibleAsync();
        await DeleteSecretAsync("STRIPE_KEY");

        using HttpClient api = _host.CreateAdminClient();
        Assert.That(await api.GetStringAsync("/api/v1/apps/shop/secrets"), Is.EqualTo("[]"));
        Assert.That(await api.GetStringAsync("/api/v1/platform/secrets"), Is.EqualTo("[]"));
    }

    [Test]
    public async Task An_empty_value_is_refused_with_the_message_the_api_gives()
    {
        using HttpClient api = _host.CreateAdminClient();
        using HttpResponseMessage refused = await api.PostAsJsonAsync("/api/v1/apps/shop/secrets", new { key = "EMPTY", value = "" });
        string? apiMessage = JsonDocument.Parse(await refused.Content.ReadAsStringAsync()).RootElement.GetProperty("detail").GetString();
        Assert.That(apiMessage, Does.Contain("must not be empty"));

        await ConnectAndOpenShopAsync();
        await _page.FillAsync("#secret-key", "EMPTY");
        await _page.ClickAsync("#add-secret button");

        await Assertions.Expect(_page.Locator("#status")).ToHaveTextAsync(apiMessage!);
        await Assertions.Expect(_page.Locator("#status")).ToHaveClassAsync("error");
        Assert.That(await api.GetStringAsync("/api/v1/apps/shop/secrets"), Is.EqualTo("[]"));
    }

    [Test]
    public async Task Two_tabs_editing_one_secret_the_second_save_is_refused_with_a_clear_message_not_lost()
    {
        using HttpClient api = _host.CreateAdminClient();
        (await api.PostAsJsonAsync("/api/v1/apps/shop/secrets", new { key = "STRIPE_KEY", value = AppValue })).EnsureSuccessStatusCode();
        IPage second = await _browser.NewPageAsync();
        await ConnectAndOpenShopAsync();
        await ConnectAndOpenShopAsync(second);
        await Assertions.Expect(second.Locator("#secrets tr[data-key='STRIPE_KEY']")).ToBeVisibleAsync();

        await AddSecretAsync("STRIPE_KEY", AppValue + "-first-tab");
        await second.FillAsync("#secret-key", "STRIPE_KEY");
        await second.FillAsync("#secret-value", AppValue + "-second-tab");
        await second.ClickAsync("#add-secret button");

        await Assertions.Expect(second.Locator("#status")).ToContainTextAsync("changed meanwhile");
        await Assertions.Expect(second.Locator("#status")).ToContainTextAsync("Your value was not saved");
        await Assertions.Expect(second.Locator("#status")).ToHaveClassAsync("error");
        await Assertions.Expect(second.Locator("#secrets tr[data-key='STRIPE_KEY'] td").Nth(2)).ToHaveTextAsync("2");
        using (SecretValue? kept = await _host.Services.GetRequiredService<ISecretReader>().GetAsync(SecretScope.ForApp("shop"), "STRIPE_KEY"))
        {
            Assert.That(kept!.RevealString(), Is.EqualTo(AppValue + "-first-tab"), "the first save stands");
        }

        // Having seen the latest, the second tab goes ahead on purpose.
        await second.FillAsync("#secret-value", AppValue + "-second-tab");
        await second.ClickAsync("#add-secret button");
        await Assertions.Expect(second.Locator("#status")).ToHaveTextAsync("Saved STRIPE_KEY (version 3).");
    }

    [Test]
    public async Task The_audit_view_lists_who_did_what_filters_by_key_and_verifies_the_chain_without_a_value()
    {
        await ConnectAndOpenShopAsync();
        await AddSecretAsync("STRIPE_KEY", AppValue);
        await AddSecretAsync("OTHER_KEY", AppValue);
        await DeleteSecretAsync("STRIPE_KEY");

        await _page.ClickAsync("#tab-audit");
        await Assertions.Expect(_page.Locator("#audit-events tr")).ToHaveCountAsync(3);
        await Assertions.Expect(_page.Locator("#audit-events tr[data-seq='1']")).ToContainTextAsync("user:admin");
        await Assertions.Expect(_page.Locator("#audit-events tr[data-seq='3']")).ToContainTextAsync("Delete");
        await Assertions.Expect(_page.Locator("#scope")).ToBeHiddenAsync();

        await _page.FillAsync("#audit-name", "stripe_key");
        await _page.ClickAsync("#audit-filter button[type=submit]");
        await Assertions.Expect(_page.Locator("#audit-events tr")).ToHaveCountAsync(2);

        await _page.ClickAsync("#audit-verify");
        await Assertions.Expect(_page.Locator("#audit-verdict")).ToContainTextAsync("Chain intact: 3 event(s), head #3");

        string screenshot = Path.Combine(TestContext.CurrentContext.WorkDirectory, "secret-vault-audit.png");
        await _page.ScreenshotAsync(new PageScreenshotOptions { Path = screenshot, FullPage = true });
        TestContext.AddTestAttachment(screenshot, "The audit view after a verify");
        await AssertValueIsNowhereAsync(AppValue);
    }

    private async Task ConnectAndOpenShopAsync(IPage? page = null)
    {
        page ??= _page;
        await page.GotoAsync(_host.ClientOptions.BaseAddress.ToString());
        await page.FillAsync("#api-key", SampleHostFactory.ApiKey);
        await page.ClickAsync("#connect button");
        await Assertions.Expect(page.Locator("#vault")).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator("#connect")).ToBeHiddenAsync();

        await page.FillAsync("#app-id", "shop");
        await page.ClickAsync("#choose-app button");
    }

    private async Task AddSecretAsync(string key, string value)
    {
        await _page.FillAsync("#secret-key", key);
        await _page.FillAsync("#secret-value", value);
        await _page.ClickAsync("#add-secret button");
        await Assertions.Expect(_page.Locator($"#secrets tr[data-key='{key}']")).ToBeVisibleAsync();
        await Assertions.Expect(_page.Locator("#status")).ToContainTextAsync($"Saved {key}");
    }

    private async Task DeleteSecretAsync(string key)
    {
        await _page.ClickAsync($"#secrets tr[data-key='{key}'] button.delete");
        await Assertions.Expect(_page.Locator($"#secrets tr[data-key='{key}']")).ToHaveCountAsync(0);
        await Assertions.Expect(_page.Locator("#status")).ToHaveTextAsync($"Deleted {key}.");
    }

    private async Task AssertValueIsNowhereAsync(string value)
    {
        string everything = await _page.EvaluateAsync<string>("""
            () => [
              document.documentElement.outerHTML,
              document.body.innerText,
              ...Array.from(document.querySelectorAll("input")).map(i => i.value),
              JSON.stringify(Object.entries(localStorage)),
              JSON.stringify(Object.entries(sessionStorage)),
            ].join("\n")
            """);
        Assert.That(everything, Does.Not.Contain(value));
        Assert.That(await _page.InputValueAsync("#secret-value"), Is.Empty, "the value field is cleared after saving");
    }
}
