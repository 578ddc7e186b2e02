using System.Security.Cryptography;
using BenchmarkDotNet.Attributes;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.AuthenticatedEncryption;
using Microsoft.AspNetCore.DataProtection.AuthenticatedEncryption.ConfigurationModel;
using Microsoft.Extensions.DependencyInjection;
using RootCx.Vault.Cryptography;

namespace RootCx.Vault.Benchmarks;

/// <summary>
/// Seal and open beside the naive AES-GCM baseline (one reused AesGcm, preallocated buffers, a fresh
/// RandomNumberGenerator nonce per call) and ASP.NET Core Data Protection, in one run.
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
        _envelope = SecretEnvelope.Seal(_ring.Active, Scope, Name, _plaintext);
        _sealed = new byte[_envelope.Length];
        BaselineSeal();

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
        _aes.Encrypt(_nonce, _plaintext, _ciphertext, _tag);
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
    public void BaselineOpen() => _aes.Decrypt(_nonce, _ciphertext, _tag, _decrypted);

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
