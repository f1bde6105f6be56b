namespace Tessel.Tuners.Model;

/// <summary>One measured config as the ranking model sees it.</summary>
/// <param name="Features">the config's feature vector</param>
/// <param name="Speed">1 / seconds; 0 when the config failed</param>
/// <param name="Group">the workload it belongs to (speeds are compared within a group only)</param>
public sealed record RankingSample(float[] Features, double Speed, int Group);
