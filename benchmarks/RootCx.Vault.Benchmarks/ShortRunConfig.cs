using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Diagnosers;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Reports;

namespace RootCx.Vault.Benchmarks;

/// <summary>
/// A short job that fits a 2-core machine in minutes: the ratios against the baseline of the same run are what
/// matter, not absolute precision. Each benchmark runs in its own process, so one case's garbage (1 MiB arrays on the
/// large object heap) cannot slow the next; in-process runs showed exactly that noise.
/// </summary>
public sealed class ShortRunConfig : ManualConfig
{
    public ShortRunConfig()
    {
        Add(DefaultConfig.Instance);
        // Three iterations (Job.ShortRun) left error bars wide enough to flip a ratio; eight keep a full run near 10 minutes.
        AddJob(Job.ShortRun.WithWarmupCount(4).WithIterationCount(8).WithId("Short"));
        AddDiagnoser(MemoryDiagnoser.Default);
        AddColumn(BaselineRatioColumn.RatioMean);
        WithSummaryStyle(SummaryStyle.Default.WithRatioStyle(RatioStyle.Value));
        WithOrderer(new BenchmarkDotNet.Order.DefaultOrderer(BenchmarkDotNet.Order.SummaryOrderPolicy.Declared));
        AddLogicalGroupRules(BenchmarkLogicalGroupRule.ByCategory, BenchmarkLogicalGroupRule.ByParams);
        WithOptions(ConfigOptions.JoinSummary | ConfigOptions.DisableLogFile);
    }
}
