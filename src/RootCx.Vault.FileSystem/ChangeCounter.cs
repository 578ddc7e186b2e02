using System.Buffers.Binary;
using Microsoft.Win32.SafeHandles;

namespace RootCx.Vault.FileSystem;

/// <summary>
/// The store's change version, in the file <c>changes</c>: 16 bytes, the version and its bitwise complement
/// (little-endian), so a torn read is detected and retried. Polling reads 16 bytes and nothing else.
/// </summary>
/// <remarks>
/// Writers, holding the store lock, set it to <c>max(current + 1, now in UTC ticks)</c> in place, without a flush.
/// A process crash cannot lose the update; a power loss can, and then the version read after restart differs from
/// the lost one (pollers see a change), and the next write moves past it because the clock has. So a poller comparing
/// for inequality never misses a change, and a durable set costs one durable file replacement, not two.
/// </remarks>
internal sealed class ChangeCounter : IDisposable
{
    private const int Size = 16;
    private readonly FileStream _stream;
    private readonly SafeFileHandle _file;
    private readonly TimeProvider _time;

    public ChangeCounter(string path, TimeProvider time)
    {
        // Positioned reads and writes go through the handle; the stream only owns it.
        _stream = new FileStream(path, DurableFile.OwnerOnly(FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.ReadWrite | FileShare.Delete));
        _file = _stream.SafeFileHandle;
        _time = time;
    }

    public long Read()
    {
        Span<byte> buffer = stackalloc byte[Size];
        for (int attempt = 0; ; attempt++)
        {
            int read = RandomAccess.Read(_file, buffer, 0);
            if (read == 0)
            {
                return 0;
            }

            long value = BinaryPrimitives.ReadInt64LittleEndian(buffer);
            if (read == Size && ~value == BinaryPrimitives.ReadInt64LittleEndian(buffer[8..]))
            {
                return value;
            }

            if (attempt == 100)
            {
                throw new IOException("The change version file is damaged.");
            }

            Thread.Yield();
        }
    }

    /// <summary>Moves the version forward. Call only while holding the store lock.</summary>
    public void Advance()
    {
        long next = Math.Max(Read() + 1, _time.GetUtcNow().UtcTicks);
        Span<byte> buffer = stackalloc byte[Size];
        BinaryPrimitives.WriteInt64LittleEndian(buffer, next);
        BinaryPrimitives.WriteInt64LittleEndian(buffer[8..], ~next);
        RandomAccess.Write(_file, buffer, 0);
    }

    public void Dispose() => _stream.Dispose();
}
