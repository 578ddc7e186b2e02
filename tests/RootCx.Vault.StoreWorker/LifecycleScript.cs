namespace RootCx.Vault.StoreWorker;

/// <summary>
/// What the lifecycle crash test's writers do, step by step: writer <c>w</c> of <c>n</c> owns the names <c>K_i</c> with
/// <c>i % n == w</c> among ten and draws each step from a generator seeded by the round and itself, so the test replays
/// exactly what each writer did up to the step it last acknowledged.
/// </summary>
public static class LifecycleScript
{
    public const int Names = 10;

    public static IEnumerable<LifecycleStep> Steps(int seed, int writer, int writers)
    {
        var random = new Random((seed * 1_000) + writer);
        string[] owned = [.. Enumerable.Range(0, Names).Where(k => k % writers == writer).Select(k => $"K_{k}")];
        for (long step = 0; ; step++)
        {
            string name = owned[random.Next(owned.Length)];
            LifecycleOperation operation = random.Next(20) switch
            {
                < 10 => LifecycleOperation.Set,
                < 14 => LifecycleOperation.Delete,
                < 17 => LifecycleOperation.Recover,
                _ => LifecycleOperation.Purge,
            };
            yield return new LifecycleStep(step, name, operation, $"{name}-r{seed}-w{writer}-s{step}");
        }
    }
}

public enum LifecycleOperation
{
    Set,
    Delete,
    Recover,
    Purge,
}

/// <param name="Number">The step's number in its writer's sequence, from 0.</param>
/// <param name="Name">The secret it applies to.</param>
/// <param name="Operation">What it does.</param>
/// <param name="Value">The value a set writes.</param>
public sealed record LifecycleStep(long Number, string Name, LifecycleOperation Operation, string Value);
