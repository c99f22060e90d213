namespace MlOpsOrchestrator.Specs;

public enum SourceType { Csv, Postgres }

public enum ColumnType { Float, Int, Boolean, Categorical, Text, Datetime, Ignore }

public enum MissingPolicy { Fail, Drop, Mean, Zero }

public enum RunMode { Full, Incremental }

public enum MisfirePolicy { FireOnce, Skip }

public enum ConcurrencyPolicy { Skip, Queue }

public enum StepKind { DataPrep, Train, Evaluate, Deploy, Monitor, Retrain }

public enum SplitBy { Random, Time }

public enum IncrementalStrategy { WarmStart, Window }

public enum GateKind { Min, Max, MaxIncrease, MaxDecrease }

public enum DriftMethod { Psi, Ks }

public enum RetrainWhen { Drift, Always }
