using Spectre.Console;

namespace RootCx.Vault.Cli.Console;

/// <summary>
/// Shows how far long work (rotate, verify) has come: a Spectre.Console progress bar when stdout is a terminal, plain
/// lines on stderr every <see cref="LineEvery"/> items (or as asked) otherwise, so logs stay readable and stdout stays clean.
/// </summary>
internal static class WorkProgress
{
    public const int LineEvery = 1000;

    public static async Task<T> RunAsync<T>(string label, int total, Func<IProgress<int>, Task<T>> work, int lineEvery = LineEvery)
    {
        if (System.Console.IsOutputRedirected)
        {
            int last = 0;
            T result = await work(new Immediate(done =>
            {
                last = done;
                if (done % lineEvery == 0)
                {
                    System.Console.Error.WriteLine($"{label}: {done} of {total}");
                }
            })).ConfigureAwait(false);

            // The last line says where it ended, also when that was not a round number.
            if (last % lineEvery != 0)
            {
                System.Console.Error.WriteLine($"{label}: {last} of {total}");
            }

            return result;
        }

        return await AnsiConsole.Progress().StartAsync(async context =>
        {
            ProgressTask task = context.AddTask(label, maxValue: Math.Max(total, 1));
            T result = await work(new Immediate(done => task.Value = done)).ConfigureAwait(false);
            task.Value = task.MaxValue;
            return result;
        }).ConfigureAwait(false);
    }

    // Progress<T> posts to the thread pool, so its lines could arrive late and out of order; this reports in place.
    private sealed class Immediate(Action<int> report) : IProgress<int>
    {
        public void Report(int value) => report(value);
    }
}
