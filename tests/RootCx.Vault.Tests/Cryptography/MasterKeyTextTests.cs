using RootCx.Vault.Cryptography;
using RootCx.Vault.Testing;

namespace RootCx.Vault.Tests.Cryptography;

public class MasterKeyTextTests
{
    [TestCase(TestKeys.Primary)]
    [TestCase("  " + TestKeys.Primary + "\n")]
    [TestCase("\t" + TestKeys.Secondary + "\r\n")]
    [TestCase("F0E1D2C3B4A5968778695A4B3C2D1E0FF0E1D2C3B4A5968778695A4B3C2D1E0F")]
    public void Sixty_four_hex_characters_are_a_key_and_surrounding_white_space_is_ignored(string text)
    {
        Assert.That(MasterKey.IsWellFormedHex(text), Is.True);
        using var key = MasterKey.FromHex(text, "test");
        Assert.That(key.Id, Is.EqualTo(TestKeys.IdOf(text.Trim())));
    }

    [TestCase("")]
    [TestCase("00")]
    [TestCase("000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1")]
    [TestCase("000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f0")]
    [TestCase("g00102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f")]
    [TestCase("0001020304050607 8090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f")]
    [TestCase("0x0102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f")]
    [TestCase("AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=")]
    public void Anything_else_is_refused_without_echoing_it(string text)
    {
        Assert.That(MasterKey.IsWellFormedHex(text), Is.False);
        var error = Assert.Throws<MasterKeyException>(() => MasterKey.FromHex(text, "the test"));
        Assert.That(error!.Message, Does.Contain("64 hexadecimal characters").And.Contain("the test"));
        if (text.Length > 4)
        {
            Assert.That(error.Message, Does.Not.Contain(text.Trim()[..8]));
        }
    }
}
