using System.Diagnostics;
using Tessel.Measure;
using Tessel.Records;
using Tessel.Spaces;
using Tessel.Tasks;

namespace Tessel.Tuners;

/// <summary>A search strategy. Strategies only answer <see cref="NextBatch"/> and learn in
/// <see cref="Update"/>; the one tuning loop — budget, resume, early stopping, callbacks, best so far —
/// is <see cref="TuneAsync"/>, written once here.</summary>
public abstract class Tuner(ISearchSpace space, int? seed)
{
    private readonly HashSet<long> visited = [];

    protected ISearchSpace Space { get; } = space;

    protected Random Random { get; } = seed is { } s ? new Random(s) : new Random();

    /// <summary>True while some config of the space has not been tried.</summary>
    public virtual bool HasNext => visited.Count < Space.Size;

    /// <summary>Configs the strategy proposed although they were already tried (dropped, so the batch shrank):
    /// 0 for a strategy that keeps its promise never to repeat one.</summary>
    public int RepeatedProposals { get; private set; }

    /// <summary>Up to <paramref name="count"/> distinct configs that were never tried.</summary>
    public abstract IReadOnlyList<ConfigEntity> NextBatch(int count);

    /// <summary>Learns from measured trials (resumed ones included).</summary>
    public virtual void Update(IReadOnlyList<MeasureInput> inputs, IReadOnlyList<MeasureResult> results) { }

    /// <summary>Records of other workloads from the log or database, for strategies that learn across
    /// workloads (AutoTVM's <c>load_history</c>); others ignore them.</summary>
    public virtual void LoadHistory(IEnumerable<TuningRecord> records) { }

    /// <summary>Whether the config with this index in the task's space was tried (or resumed).</summary>
    protected bool IsVisited(long configIndex) => visited.Contains(configIndex);

    /// <summary>A uniformly random config neither tried nor in <paramref name="taken"/>; null when none is left.</summary>
    protected ConfigEntity? RandomUntried(IReadOnlySet<long> taken)
    {
        // Rejection sampling is cheap while most of the space is untried; then scan from a random point.
        for (var attempt = 0; attempt < 64; attempt++)
        {
            var config = Space.Get(Random.NextInt64(Space.Size));
            if (!IsVisited(config.Index) && !taken.Contains(config.Index)) return config;
        }
        var start = Random.NextInt64(Space.Size);
        for (long step = 0; step < Space.Size; step++)
        {
            var config = Space.Get((start + step) % Space.Size);
            if (!IsVisited(config.Index) && !taken.Contains(config.Index)) return config;
        }
        return null;
    }

    public async Task<TuneResult> TuneAsync(
        TuningTask task,
        IMeasurer measurer,
        TuneOptions options,
        IReadOnlyList<ITuneCallback>? callbacks = null,
        CancellationToken cancellationToken = default)
    {
        options.Validate();
        var clock = Stopwatch.StartNew();
        var best = (Config: (ConfigEntity?)null, Seconds: double.PositiveInfinity);
        int trials = 0, measured = 0, errors = 0, sinceBest = 0;

        void Count(IReadOnlyList<MeasureInput> inputs, IReadOnlyList<MeasureResult> results)
        {
            for (var i = 0; i < inputs.Count; i++)
            {
                trials++;
                sinceBest++;
                if (!results[i].IsValid) { errors++; continue; }
                if (results[i].MeanCost < best.Seconds)
                {
                    best = (inputs[i].Config, results[i].MeanCost);
                    sinceBest = 0;
                }
            }
        }

        var resumed = options.Resume.Where(r => visited.Add(r.Config.Index)).ToList();
        if (resumed.Count > 0)
        {
            var inputs = resumed.Select(r => new MeasureInput(task, r.Config)).ToList();
            var results = resumed.Select(r => r.Result).ToList();
            Count(inputs, results);
            Update(inputs, results);
        }

        // The zero-trial start, then the default config, lead the first round, where the strategy searches the task's own space.
        var first = new Queue<ConfigEntity>();
        if (ReferenceEquals(Space, task.Space))
        {
            foreach (var start in options.StartFrom.Where(c => ReferenceEquals(c.Space, task.Space))) first.Enqueue(start);
            if (options.StartWithDefault) first.Enqueue(task.DefaultConfig);
        }

        var stoppedEarly = false;
        while (trials < options.Trials && HasNext)
        {
            if (options.EarlyStopping is { } patience && sinceBest >= patience && best.Config is not null)
            {
                stoppedEarly = true;
                break;
            }
            cancellationToken.ThrowIfCancellationRequested();
            if (options.Deadline is { Passed: true }) break;
            var room = Math.Min(options.BatchSize, options.Trials - trials);
            var batch = new List<ConfigEntity>();
            // More leading configs than a round holds go on leading the next.
            while (batch.Count < room && first.TryDequeue(out var leading))
                if (visited.Add(leading.Index)) batch.Add(leading);
            foreach (var config in NextBatch(room - batch.Count))
            {
                if (batch.Count == room) break;
                if (visited.Add(config.Index)) batch.Add(config);
                else RepeatedProposals++;
            }
            if (batch.Count == 0) break;
            var inputs = batch.Select(c => new MeasureInput(task, c)).ToList();
            var results = await measurer.MeasureAsync(inputs, cancellationToken, (i, result) =>
            {
                foreach (var callback in callbacks ?? []) callback.OnTrial(task, inputs[i], result);
            }).ConfigureAwait(false);
            measured += inputs.Count;
            Count(inputs, results);
            Update(inputs, results);
            var progress = new TuneProgress(trials, options.Trials, measured, errors, best.Config, best.Seconds, task.Flops);
            foreach (var callback in callbacks ?? []) callback.OnRound(task, inputs, results, progress);
        }
        return new TuneResult(best.Config, best.Seconds, trials, measured, errors, stoppedEarly, clock.Elapsed, task.Flops);
    }
}
