using Microsoft.ML;
using Microsoft.ML.Data;
using MlOpsOrchestrator.Catalogs;
using MlOpsOrchestrator.ML.Steps;
using MlOpsOrchestrator.ML.Tests.Steps.Support;
using MlOpsOrchestrator.Execution;
using MlOpsOrchestrator.Specs;
using NUnit.Framework;

namespace MlOpsOrchestrator.ML.Tests.Steps;

[TestFixture]
public sealed class FeaturizerTests
{
    private readonly MLContext _ml = new(seed: 1);
    private IDataView _data = null!;

    [SetUp]
    public void SetUp() => _data = _ml.Data.LoadFromEnumerable(SyntheticData.Rows(60, seed: 7));

    [Test]
    public void Plan_DefaultFeatures_TakesFeatureColumnsExceptDatetimesAndMarksTheRestIgnored()
    {
        var plan = Featurizer.Plan(_ml, SyntheticData.Schema(MlTask.Regression), _data, MlTask.Regression, "fast_tree", null);

        Assert.That(plan.FeatureColumns, Is.EqualTo(new[] { "amount", "visits", "segment", "member", "note" }));
        Assert.That(plan.ModelSchema.Columns.Single(c => c.Name == "opened").Role, Is.EqualTo(ColumnRole.Ignored));
        Assert.That(plan.ModelSchema.Columns.Single(c => c.Name == "ts").Role, Is.EqualTo(ColumnRole.Timestamp));
    }

    [Test]
    public void Plan_ListedFeatures_KeepsSchemaOrder()
    {
        var plan = Featurizer.Plan(_ml, SyntheticData.Schema(MlTask.Regression), _data, MlTask.Regression, "sdca", ["opened", "note", "amount"]);

        Assert.That(plan.FeatureColumns, Is.EqualTo(new[] { "amount", "note", "opened" }));
        Assert.That(plan.ModelSchema.Features.Select(c => c.Name), Is.EqualTo(plan.FeatureColumns));
    }

    [TestCase("sdca", true)]
    [TestCase("online_gradient_descent", true)]
    [TestCase("lbfgs_poisson", true)]
    [TestCase("lbfgs_logistic_regression", true)]
    [TestCase("averaged_perceptron", true)]
    [TestCase("sdca_maximum_entropy", true)]
    [TestCase("fast_tree", false)]
    [TestCase("fast_forest", false)]
    [TestCase("fast_tree_tweedie", false)]
    [TestCase("light_gbm", false)]
    [TestCase("one_versus_all_fast_tree", false)]
    public void NeedsNormalization_Trainer_OnlyForLinearModels(string trainer, bool expected)
    {
        Assert.That(Featurizer.NeedsNormalization(trainer), Is.EqualTo(expected));
    }

    [Test]
    public void Plan_Features_ProduceOneFeaturesVectorFromEveryColumnType()
    {
        var plan = Featurizer.Plan(_ml, SyntheticData.Schema(MlTask.Regression), _data, MlTask.Regression, "sdca",
            ["amount", "visits", "segment", "member", "note", "opened"]);

        var featurized = plan.Features.Fit(_data).Transform(_data);

        var features = featurized.Schema[Featurizer.FeaturesColumn];
        var vector = features.Type as VectorDataViewType;
        Assert.That(vector?.ItemType, Is.EqualTo(NumberDataViewType.Single));
        // amount, visits, member, 3 datetime parts, 3 one-hot segments, and the text features.
        Assert.That(vector!.Size, Is.GreaterThan(9));
        var values = featurized.GetColumn<VBuffer<float>>(features).ToList();
        Assert.That(values.SelectMany(v => v.DenseValues()).All(float.IsFinite), Is.True, "missing amounts are imputed (missing: mean)");
    }

    [Test]
    public void Plan_MulticlassWithoutClasses_TakesThemInOrderOfFirstAppearance()
    {
        var schema = SyntheticData.Schema(MlTask.Multiclass) with { Classes = null };

        var plan = Featurizer.Plan(_ml, schema, _data, MlTask.Multiclass, "light_gbm", null);

        var expected = SyntheticData.Rows(60, seed: 7).Select(r => r.Team).Distinct().ToList();
        Assert.That(plan.ModelSchema.Classes, Is.EqualTo(expected));
    }

    [Test]
    public void Plan_ColumnOfAnotherTypeInTheData_FailsNamingEveryProblem()
    {
        var schema = SyntheticData.Schema(MlTask.Binary) with
        {
            Columns = [.. SyntheticData.Schema(MlTask.Binary).Columns.Select(c => c.Name switch
            {
                "segment" => c with { Type = ColumnType.Float },
                "member" => c with { Name = "is_member" },
                _ => c,
            })],
        };

        var error = Assert.Throws<StepInputException>(() => Featurizer.Plan(_ml, schema, _data, MlTask.Binary, "fast_tree", null));

        Assert.That(error!.Message, Is.EqualTo(
            "column 'segment' is String in the prepared data, expected Single for float; column 'is_member' is missing from the prepared data"));
    }
}
