using System.Security.Cryptography;
using System.Text;
using RootCx.Vault.Cryptography;
using RootCx.Vault.Testing;

namespace RootCx.Vault.Tests.Cryptography;

public class EnvelopeTests
{
    private static readonly SecretScope Shop = SecretScope.ForApp("shop");
    private static readonly SecretName ApiKey = SecretName.Parse("API_KEY");
    private static readonly byte[] Plaintext = Encoding.UTF8.GetBytes("sk_test_envelope_value");

    private MasterKeyRing _ring = null!;

    [SetUp]
    public void CreateRing() => _ring = new MasterKeyRing(Key(TestKeys.Primary));

    [TearDown]
    public void DisposeRing() => _ring?.Dispose();

    [Test]
    public void Seal_then_open_round_trips_and_the_layout_is_as_documented()
    {
        byte[] envelope = SecretEnvelope.Seal(_ring.Active, Shop, ApiKey, Plaintext);

        Assert.Multiple(() =>
        {
            Assert.That(envelope, Has.Length.EqualTo(1 + 4 + 12 + Plaintext.Length + 16));
            Assert.That(envelope[0], Is.EqualTo(1));
            Assert.That(SecretEnvelope.ReadKeyId(envelope), Is.EqualTo(TestKeys.IdOf(TestKeys.Primary)));
            Assert.That(envelope.AsSpan().IndexOf(Plaintext), Is.EqualTo(-1));
            Assert.That(SecretEnvelope.Open(_ring, Shop, ApiKey, envelope), Is.EqualTo(Plaintext));
        });
    }

    [Test]
    public void Sealing_and_opening_into_caller_buffers_round_trips_and_checks_their_size()
    {
        byte[] envelope = new byte[Plaintext.Length + SecretEnvelope.Overhead];
        byte[] opened = new byte[Plaintext.Length];

        SecretEnvelope.Seal(_ring.Active, Shop, ApiKey, Plaintext, envelope);
        SecretEnvelope.Open(_ring, Shop, ApiKey, envelope, opened);

        Assert.That(opened, Is.EqualTo(Plaintext));
        Assert.Throws<ArgumentOutOfRangeException>(() => SecretEnvelope.Seal(_ring.Active, Shop, ApiKey, Plaintext, new byte[envelope.Length + 1]));
        Assert.Throws<ArgumentOutOfRangeException>(() => SecretEnvelope.Open(_ring, Shop, ApiKey, envelope, new byte[opened.Length - 1]));
    }

    [Test]
    public void A_failed_open_into_a_caller_buffer_leaves_it_cleared()
    {
        byte[] envelope = SecretEnvelope.Seal(_ring.Active, Shop, ApiKey, Plaintext);
        envelope[^1] ^= 1;
        byte[] opened = new byte[Plaintext.Length];
        Array.Fill(opened, (byte)0xAA);

        Assert.Throws<SecretDecryptionException>(() => SecretEnvelope.Open(_ring, Shop, ApiKey, envelope, opened));
        Assert.That(opened, Is.All.EqualTo(0));
    }

    [Test]
    public void The_name_is_bound_ignoring_case_like_the_store_matches_it()
    {
        byte[] envelope = SecretEnvelope.Seal(_ring.Active, Shop, SecretName.Parse("Api_Key"), Plaintext);
        Assert.That(SecretEnvelope.Open(_ring, Shop, ApiKey, envelope), Is.EqualTo(Plaintext));
    }

    /// <summary>
    /// Catches a constant or repeating nonce, not one drawn ahead of the seal: a buffered batch of random nonces looks
    /// the same from outside, so nothing here can tell them apart.
    /// </summary>
    [Test]
    public void The_nonces_of_many_seals_are_distinct()
    {
        var nonces = new HashSet<string>();
        for (int i = 0; i < 1000; i++)
        {
            byte[] envelope = SecretEnvelope.Seal(_ring.Active, Shop, ApiKey, Plaintext);
            nonces.Add(Convert.ToHexString(envelope, 5, 12));
        }

        Assert.That(nonces, Has.Count.EqualTo(1000));
    }

    [Test]
    public void Flipping_any_bit_of_an_envelope_makes_it_fail_to_open()
    {
        byte[] envelope = SecretEnvelope.Seal(_ring.Active, Shop, ApiKey, Plaintext);
        for (int i = 0; i < envelope.Length; i++)
        {
            for (int bit = 0; bit < 8; bit++)
            {
                byte[] tampered = (byte[])envelope.Clone();
                tampered[i] ^= (byte)(1 << bit);
                Assert.Throws(Is.InstanceOf<SecretDecryptionException>(), () => SecretEnvelope.Open(_ring, Shop, ApiKey, tampered), $"byte {i}, bit {bit}");
            }
        }
    }

    [Test]
    public void A_truncated_or_extended_envelope_fails_to_open()
    {
        byte[] envelope = SecretEnvelope.Seal(_ring.Active, Shop, ApiKey, Plaintext);
        for (int length = 0; length < envelope.Length; length++)
        {
            Assert.Throws(Is.InstanceOf<SecretDecryptionException>(), () => SecretEnvelope.Open(_ring, Shop, ApiKey, envelope.AsSpan(0, length)), $"length {length}");
        }

        Assert.Throws<SecretDecryptionException>(() => SecretEnvelope.Open(_ring, Shop, ApiKey, [.. envelope, 0]));
    }

    [TestCase("shop", "OTHER_NAME")]
    [TestCase("other-app", "API_KEY")]
    [TestCase("_platform", "API_KEY")]
    public void An_envelope_moved_to_another_name_or_scope_fails_to_open(string @namespace, string name)
    {
        byte[] envelope = SecretEnvelope.Seal(_ring.Active, Shop, ApiKey, Plaintext);

        var error = Assert.Throws<SecretDecryptionException>(() =>
            SecretEnvelope.Open(_ring, SecretScope.FromNamespace(@namespace), SecretName.Parse(name), envelope));
        Assert.That(error!.Message, Does.Contain("failed authentication"));
    }

    [Test]
    public void An_envelope_under_an_unknown_key_names_the_key_id_and_is_told_apart_from_tampering()
    {
        using var other = new MasterKeyRing(Key(TestKeys.Secondary));
        byte[] envelope = SecretEnvelope.Seal(other.Active, Shop, ApiKey, Plaintext);

        var error = Assert.Throws<UnknownMasterKeyIdException>(() => SecretEnvelope.Open(_ring, Shop, ApiKey, envelope));
        Assert.Multiple(() =>
        {
            Assert.That(error!.KeyId, Is.EqualTo(other.Active.Id));
            Assert.That(error.Message, Does.Contain(other.Active.Id.ToString()).And.Contain(_ring.Active.Id.ToString()));
            Assert.That(error.Message, Does.Not.Contain(TestKeys.Secondary).And.Not.Contain(TestKeys.Primary));
        });
    }

    [Test]
    public void A_previous_key_in_the_ring_still_opens_what_it_sealed()
    {
        using var old = new MasterKeyRing(Key(TestKeys.Secondary));
        byte[] envelope = SecretEnvelope.Seal(old.Active, Shop, ApiKey, Plaintext);
        using var rotated = new MasterKeyRing(Key(TestKeys.Primary), [Key(TestKeys.Secondary)]);

        Assert.That(SecretEnvelope.Open(rotated, Shop, ApiKey, envelope), Is.EqualTo(Plaintext));
        Assert.That(SecretEnvelope.ReadKeyId(SecretEnvelope.Seal(rotated.Active, Shop, ApiKey, Plaintext)), Is.EqualTo(rotated.Active.Id));
    }

    [Test]
    public void Key_ids_are_derived_from_the_key_and_differ_between_keys()
    {
        using var key = Key(TestKeys.Primary);
        Assert.Multiple(() =>
        {
            Assert.That(key.Id, Is.EqualTo(TestKeys.IdOf(TestKeys.Primary)));
            Assert.That(key.Id, Is.Not.EqualTo(TestKeys.IdOf(TestKeys.Secondary)));
            Assert.That(key.Id.ToString(), Does.Match("^[0-9a-f]{8}$"));
            Assert.That(key.ToString(), Is.EqualTo($"MasterKey({key.Id})"));
        });
    }

    [TestCase(0)]
    [TestCase(33)]
    [TestCase(SecretValueRules.MaxUtf8Bytes)]
    public void Values_of_every_allowed_length_round_trip(int length)
    {
        byte[] plaintext = RandomNumberGenerator.GetBytes(length);
        Assert.That(SecretEnvelope.Open(_ring, Shop, ApiKey, SecretEnvelope.Seal(_ring.Active, Shop, ApiKey, plaintext)), Is.EqualTo(plaintext));
    }

    private static MasterKey Key(string hex) => MasterKey.FromHex(hex, "test");
}
