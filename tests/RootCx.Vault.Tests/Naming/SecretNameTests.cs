namespace RootCx.Vault.Tests.Naming;

public class SecretNameTests
{
    [TestCase("STRIPE_KEY")]
    [TestCase("_PRIVATE")]
    [TestCase("a")]
    [TestCase("Mixed_Case_9")]
    public void Environment_variable_names_are_accepted(string name) =>
        Assert.That(SecretName.Parse(name).Value, Is.EqualTo(name));

    [Test]
    public void A_name_of_the_maximum_length_is_accepted() =>
        Assert.That(SecretName.IsValid(new string('A', SecretName.MaxLength)), Is.True);

    [TestCase(null, "required")]
    [TestCase("", "required")]
    [TestCase("1ST", "must not start with a digit")]
    [TestCase("WITH-DASH", "character 5 is not allowed")]
    [TestCase("WITH SPACE", "character 5 is not allowed")]
    [TestCase("DOT.NAME", "character 4 is not allowed")]
    [TestCase("../ETC", "character 1 is not allowed")]
    [TestCase("NAME=VALUE", "character 5 is not allowed")]
    [TestCase("ÜBER", "character 1 is not allowed")]
    [TestCase("NUL\0", "character 4 is not allowed")]
    public void Invalid_names_are_rejected_with_the_rule(string? name, string rule)
    {
        var error = Assert.Throws<SecretValidationException>(() => SecretName.Parse(name));
        Assert.That(error!.Kind, Is.EqualTo(SecretValidationKind.InvalidSecretName));
        Assert.That(error!.Message, Does.Contain(rule));
    }

    [Test]
    public void A_name_over_the_maximum_length_is_rejected()
    {
        var error = Assert.Throws<SecretValidationException>(() => SecretName.Parse(new string('A', SecretName.MaxLength + 1)));
        Assert.That(error!.Kind, Is.EqualTo(SecretValidationKind.InvalidSecretName));
        Assert.That(error!.Message, Does.Contain($"at most {SecretName.MaxLength}"));
    }

    [Test]
    public void The_error_never_echoes_the_input()
    {
        const string Pasted = "sk_live_pasted-into-the-name-field";
        var error = Assert.Throws<SecretValidationException>(() => SecretName.Parse(Pasted));
        Assert.That(error!.Kind, Is.EqualTo(SecretValidationKind.InvalidSecretName));
        Assert.That(error!.Message, Does.Not.Contain("sk_live"));
    }

    [Test]
    public void Names_compare_ignoring_case_and_keep_their_spelling()
    {
        var spelled = SecretName.Parse("Stripe_Key");
        Assert.Multiple(() =>
        {
            Assert.That(spelled, Is.EqualTo(SecretName.Parse("STRIPE_KEY")));
            Assert.That(spelled.GetHashCode(), Is.EqualTo(SecretName.Parse("stripe_key").GetHashCode()));
            Assert.That(spelled.ToString(), Is.EqualTo("Stripe_Key"));
        });
    }
}
