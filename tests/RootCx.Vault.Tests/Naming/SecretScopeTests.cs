namespace RootCx.Vault.Tests.Naming;

public class SecretScopeTests
{
    [TestCase("shop")]
    [TestCase("shop-2")]
    [TestCase("my_app")]
    [TestCase("0day")]
    public void Valid_app_ids_are_accepted(string appId) =>
        Assert.That(SecretScope.ForApp(appId).Namespace, Is.EqualTo(appId));

    [TestCase(null, "required")]
    [TestCase("", "required")]
    [TestCase("_platform", "reserved")]
    [TestCase("_anything", "reserved")]
    [TestCase("../x", "may contain only")]
    [TestCase("..", "may contain only")]
    [TestCase("a/b", "may contain only")]
    [TestCase("a\\b", "may contain only")]
    [TestCase("Shop", "lowercase")]
    [TestCase("-shop", "must start with")]
    [TestCase("shop app", "may contain only")]
    [TestCase("shöp", "may contain only")]
    [TestCase("shop.", "may contain only")]
    public void Invalid_app_ids_are_rejected_with_the_rule(string? appId, string rule)
    {
        var error = Assert.Throws<SecretValidationException>(() => SecretScope.ForApp(appId));
        Assert.That(error!.Kind, Is.EqualTo(SecretValidationKind.InvalidAppId));
        Assert.That(error!.Message, Does.Contain(rule));
    }

    [Test]
    public void An_app_id_over_the_maximum_length_is_rejected()
    {
        Assert.That(SecretScope.IsValidAppId(new string('a', SecretScope.MaxAppIdLength)), Is.True);
        var error = Assert.Throws<SecretValidationException>(() => SecretScope.ForApp(new string('a', SecretScope.MaxAppIdLength + 1)));
        Assert.That(error!.Kind, Is.EqualTo(SecretValidationKind.InvalidAppId));
        Assert.That(error!.Message, Does.Contain($"at most {SecretScope.MaxAppIdLength}"));
    }

    [Test]
    public void The_platform_scope_is_reachable_only_through_its_own_property()
    {
        Assert.Multiple(() =>
        {
            Assert.That(SecretScope.Platform.Namespace, Is.EqualTo("_platform"));
            Assert.That(SecretScope.Platform.IsPlatform, Is.True);
            Assert.That(SecretScope.ForApp("platform").IsPlatform, Is.False);
            Assert.That(SecretScope.FromNamespace("_platform"), Is.SameAs(SecretScope.Platform));
            Assert.That(SecretScope.FromNamespace("shop"), Is.EqualTo(SecretScope.ForApp("shop")));
        });
    }
}
