using Tessel.Tuners.Model;

namespace Tessel.Tests.Tuners.Model;

public class RankingModelTests
{
    [Fact]
    public void The_ranking_model_learns_a_synthetic_cost_and_ranks_held_out_configs()
    {
        // Stand-in cost (SyntheticConvCost), real conv2d space and features.
        var task = SyntheticConvCost.Task();
        var featurizer = new ConfigFeaturizer(new FeatureSchema(task), task.Template, task.Workload, task.Space);
        var random = new Random(5);
        var configs = Enumerable.Range(0, 500).Select(_ => task.Space.Get(random.NextInt64(task.Space.Size))).DistinctBy(c => c.Index).ToList();
        var train = configs.Take(300).ToList();
        var heldOut = configs.Skip(300).ToList();
        var model = new RankingModel(seed: 1);
        model.Fit(train.Select(c => new RankingSample(featurizer.Featurize(c), 1 / SyntheticConvCost.Seconds(c), 0)).ToList());

        var predicted = heldOut.Select(c => model.Predict(featurizer.Featurize(c))).ToArray();
        var actual = heldOut.Select(c => 1 / SyntheticConvCost.Seconds(c)).ToArray();
        Assert.True(Spearman(predicted, actual) > 0.8, $"Spearman {Spearman(predicted, actual):F3}");
    }

    [Fact]
    public void Tree_ensemble_scores_equal_MLNET_scores()
    {
        var task = SyntheticConvCost.Task();
        var featurizer = new ConfigFeaturizer(new FeatureSchema(task), task.Template, task.Workload, task.Space);
        var random = new Random(9);
        var configs = Enumerable.Range(0, 200).Select(_ => task.Space.Get(random.NextInt64(task.Space.Size))).ToList();
        var model = new RankingModel(seed: 2);
        model.Fit(configs.Take(150).Select(c => new RankingSample(featurizer.Featurize(c), 1 / SyntheticConvCost.Seconds(c), 0)).ToList());
        var rows = configs.Skip(150).Select(featurizer.Featurize).ToList();
        var expected = model.PredictWithMlNet(rows);
        for (var i = 0; i < rows.Count; i++)
            Assert.Equal(expected[i], model.Predict(rows[i]), 3);
        Assert.True(model.Trees!.Count > 1);
    }

    [Fact]
    public void Grades_rise_with_speed_and_a_failed_config_is_grade_zero()
    {
        Assert.Equal(0, RankingModel.Grade(0, 10));
        Assert.Equal(RankingModel.Grades - 1, RankingModel.Grade(10, 10));
        Assert.True(RankingModel.Grade(9, 10) > RankingModel.Grade(5, 10));
    }

    internal static double Spearman(double[] a, double[] b)
    {
        static double[] Ranks(double[] x)
        {
            var order = x.Select((v, i) => (v, i)).OrderBy(p => p.v).ToArray();
            var ranks = new double[x.Length];
            for (var i = 0; i < order.Length;)
            {
                var j = i;
                while (j + 1 < order.Length && order[j + 1].v == order[i].v) j++;
                for (var k = i; k <= j; k++) ranks[order[k].i] = (i + j) / 2.0;
                i = j + 1;
            }
            return ranks;
        }
        var ra = Ranks(a);
        var rb = Ranks(b);
        double ma = ra.Average(), mb = rb.Average();
        var cov = ra.Zip(rb, (x, y) => (x - ma) * (y - mb)).Sum();
        var va = ra.Sum(x => (x - ma) * (x - ma));
        var vb = rb.Sum(y => (y - mb) * (y - mb));
        return cov / Math.Sqrt(va * vb);
    }
}
