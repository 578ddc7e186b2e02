using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;
using BenchmarkDotNet.Attributes;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.AuthenticatedEncryption;
using Microsoft.AspNetCore.DataProtection.AuthenticatedEncryption.ConfigurationModel;
using Microsoft.Extensions.DependencyInjection;
using RootCx.Vault.Cryptography;

namespace RootCx.Vault.Benchmarks;

/// <summary>
/// Seal and open beside raw AesGcm doing the cipher work the vault does, and ASP.NET Core Data Protection, in one run.
/// The baseline reuses one AesGcm and preallocated buffers, draws a RandomNumberGenerator nonce per seal and binds the
/// envelope's associated data (built once), so what the vault adds on top is its envelope: header, key lookup and
/// building the associated data per call.
/// </summary>
[BenchmarkCategory("Cipher")]
public class CipherBenchmarks
{
    private static readonly SecretScope Scope = SecretScope.ForApp("bench-app");
    private static readonly SecretName Name = SecretName.Parse("STRIPE_KEY");

    private byte[] _plaintext = null!;
    private byte[] _nonce = null!;
    private byte[] _ciphertext = null!;
    private byte[] _tag = null!;
    private byte[] _decrypted = null!;
    private byte[] _associatedData = null!;
    private AesGcm _aes = null!;
    private MasterKeyRing _ring = null!;
    private byte[] _envelope = null!;
    private byte[] _sealed = null!;
    private string _dataProtectionFolder = null!;
    private ServiceProvider _dataProtectionServices = null!;
    private IDataProtector _defaultProtector = null!;
    private IDataProtector _gcmProtector = null!;
    private byte[] _protectedDefault = null!;
    private byte[] _protectedGcm = null!;

    [Params(32, 1024, 64 * 1024, 1024 * 1024)]
    public int Size { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _plaintext = RandomNumberGenerator.GetBytes(Size);
        _nonce = new byte[12];
        _ciphertext = new byte[Size];
        _tag = new byte[16];
        _decrypted = new byte[Size];
        byte[] key = RandomNumberGenerator.GetBytes(32);
        _aes = new AesGcm(key, 16);
        _ring = new MasterKeyRing(MasterKey.FromBytes(key));
        _associatedData = AssociatedData(_ring.Active.Id);
        _envelope = SecretEnvelope.Seal(_ring.Active, Scope, Name, _plaintext);
        _sealed = new byte[_envelope.Length];
        BaselineSeal();

        // The baseline opens the vault's envelope, or the two would not be binding the same associated data.
        _aes.Decrypt(
            _envelope.AsSpan(SecretEnvelope.VersionSize + SecretEnvelope.KeyIdSize, SecretEnvelope.NonceSize),
            _envelope.AsSpan(SecretEnvelope.HeaderSize, Size),
            _envelope.AsSpan(SecretEnvelope.HeaderSize + Size, SecretEnvelope.TagSize),
            _decrypted,
            _associatedData);

        _dataProtectionFolder = Directory.CreateTempSubdirectory("rootcx-bench-dp-").FullName;
        _defaultProtector = CreateProtector(Path.Combine(_dataProtectionFolder, "default"), null);
        _gcmProtector = CreateProtector(Path.Combine(_dataProtectionFolder, "gcm"), new AuthenticatedEncryptorConfiguration
        {
            EncryptionAlgorithm = EncryptionAlgorithm.AES_256_GCM,
            ValidationAlgorithm = ValidationAlgorithm.HMACSHA256,
        });
        _protectedDefault = _defaultProtector.Protect(_plaintext);
        _protectedGcm = _gcmProtector.Protect(_plaintext);
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _aes.Dispose();
        _ring.Dispose();
        _dataProtectionServices.Dispose();
        Directory.Delete(_dataProtectionFolder, recursive: true);
    }

    [Benchmark(Baseline = true)]
    [BenchmarkCategory("Seal")]
    public void BaselineSeal()
    {
        RandomNumberGenerator.Fill(_nonce);
        _aes.Encrypt(_nonce, _plaintext, _ciphertext, _tag, _associatedData);
    }

    [Benchmark]
    [BenchmarkCategory("Seal")]
    public byte[] VaultSeal() => SecretEnvelope.Seal(_ring.Active, Scope, Name, _plaintext);

    /// <summary>Sealing into a caller's buffer: the cipher alone, without the envelope allocation.</summary>
    [Benchmark]
    [BenchmarkCategory("Seal")]
    public void VaultSealInto() => SecretEnvelope.Seal(_ring.Active, Scope, Name, _plaintext, _sealed);

    [Benchmark]
    [BenchmarkCategory("Seal")]
    public byte[] DataProtectionDefaultProtect() => _defaultProtector.Protect(_plaintext);

    [Benchmark]
    [BenchmarkCategory("Seal")]
    public byte[] DataProtectionGcmProtect() => _gcmProtector.Protect(_plaintext);

    [Benchmark(Baseline = true)]
    [BenchmarkCategory("Open")]
    public void BaselineOpen() => _aes.Decrypt(_nonce, _ciphertext, _tag, _decrypted, _associatedData);

    [Benchmark]
    [BenchmarkCategory("Open")]
    public byte[] VaultOpen() => SecretEnvelope.Open(_ring, Scope, Name, _envelope);

    /// <summary>Opening into a caller's buffer: the cipher alone, without the plaintext allocation.</summary>
    [Benchmark]
    [BenchmarkCategory("Open")]
    public void VaultOpenInto() => SecretEnvelope.Open(_ring, Scope, Name, _envelope, _decrypted);

    [Benchmark]
    [BenchmarkCategory("Open")]
    public byte[] DataProtectionDefaultUnprotect() => _defaultProtector.Unprotect(_protectedDefault);

    [Benchmark]
    [BenchmarkCategory("Open")]
    public byte[] DataProtectionGcmUnprotect() => _gcmProtector.Unprotect(_protectedGcm);

    /// <summary>version || keyId || len(namespace) || namespace || len(name) || NAME, as docs/FORMAT.md lays it out.</summary>
    private static byte[] AssociatedData(MasterKeyId keyId)
    {
        byte[] keyIdBytes = new byte[SecretEnvelope.KeyIdSize];
        BinaryPrimitives.WriteUInt32BigEndian(keyIdBytes, keyId.Value);
        return
        [
            SecretEnvelope.Version1, .. keyIdBytes,
            (byte)Scope.Namespace.Length, .. Encoding.ASCII.GetBytes(Scope.Namespace),
            (byte)Name.Value.Length, .. Encoding.ASCII.GetBytes(Name.Value.ToUpperInvariant()),
        ];
    }

    private IDataProtector CreateProtector(string keyFolder, AuthenticatedEncryptorConfiguration? algorithms)
    {
        var services = new ServiceCollection();
        IDataProtectionBuilder builder = services.AddDataProtection().PersistKeysToFileSystem(new DirectoryInfo(keyFolder));
        if (algorithms is not null)
        {
            builder.UseCryptographicAlgorithms(algorithms);
        }

        _dataProtectionServices = services.BuildServiceProvider();
        return _dataProtectionServices.GetRequiredService<IDataProtectionProvider>().CreateProtector("RootCx.Vault.Benchmarks");
    }
}
