using System.Collections;

// A stand-in for an app backend started by the runtime sample. It prints the NAMES of the environment variables it
// received (never a value), then runs until its standard input closes: that is how the runtime asks it to stop.
// A backend given the secret WORKER_IGNORES_STOP plays a hung process, so the runtime's kill path can be seen.
string[] names = [.. Environment.GetEnvironmentVariables().Keys.Cast<string>().Order(StringComparer.Ordinal)];
Console.WriteLine($"app {Environment.GetEnvironmentVariable("ROOTCX_APP_ID")} received: {string.Join(',', names)}");
Console.WriteLine("ready");

await Console.In.ReadToEndAsync();
if (Environment.GetEnvironmentVariable("WORKER_IGNORES_STOP") is not null)
{
    await Task.Delay(Timeout.Infinite);
}

Console.WriteLine("stopping");
