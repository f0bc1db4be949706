"""The seed tutorial's training pipeline, written with the KFP SDK: load a dataset, train a
random forest, evaluate it, and deploy it only when the evaluation says it is accurate enough.

As in the tutorial, with two changes so it runs anywhere: the data comes from a dataset
bundled with scikit-learn ("sklearn:breast_cancer", no download), and "deploying" copies the
model to a folder (deploy_endpoint).

    kiln run pipeline.yaml --param min_accuracy=0.9
"""
from kfp import dsl
from kfp.dsl import Dataset, Input, Metrics, Model, Output

PACKAGES = ["pandas", "scikit-learn"]


@dsl.component(base_image="python:3.11-slim", packages_to_install=PACKAGES)
def load_data(source_url: str, dataset: Output[Dataset]):
    """Load and clean the training dataset."""
    import pandas as pd

    if source_url.startswith("sklearn:"):
        from sklearn import datasets

        df = getattr(datasets, "load_" + source_url.split(":", 1)[1])(as_frame=True).frame
    else:
        df = pd.read_csv(source_url)
    df = df.dropna()
    df = df.drop_duplicates()
    df.to_csv(dataset.path, index=False)
    dataset.metadata["rows"] = len(df)
    dataset.metadata["columns"] = len(df.columns)


@dsl.component(base_image="python:3.11-slim", packages_to_install=PACKAGES)
def train_model(dataset: Input[Dataset], model: Output[Model], metrics: Output[Metrics]):
    import pickle

    import pandas as pd
    from sklearn.ensemble import RandomForestClassifier
    from sklearn.model_selection import train_test_split

    df = pd.read_csv(dataset.path)
    X = df.drop("target", axis=1)
    y = df["target"]
    X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.2, random_state=42)

    clf = RandomForestClassifier(n_estimators=100, random_state=42)
    clf.fit(X_train, y_train)
    accuracy = clf.score(X_test, y_test)

    metrics.log_metric("accuracy", accuracy)
    with open(model.path, "wb") as f:
        pickle.dump(clf, f)


@dsl.component(base_image="python:3.11-slim", packages_to_install=PACKAGES)
def evaluate_model(
    model: Input[Model],
    test_data: Input[Dataset],
    metrics: Output[Metrics],
    min_accuracy: float = 0.85,
) -> str:
    import pickle

    import pandas as pd
    from sklearn.metrics import accuracy_score, f1_score
    from sklearn.model_selection import train_test_split

    with open(model.path, "rb") as f:
        clf = pickle.load(f)

    df = pd.read_csv(test_data.path)
    X = df.drop("target", axis=1)
    y = df["target"]
    # The hold-out split train_model used (same seed), so the score is on unseen rows.
    _, X_test, _, y_test = train_test_split(X, y, test_size=0.2, random_state=42)

    preds = clf.predict(X_test)
    acc = accuracy_score(y_test, preds)
    f1 = f1_score(y_test, preds, average="weighted")

    metrics.log_metric("accuracy", acc)
    metrics.log_metric("f1_score", f1)

    return "yes" if acc >= min_accuracy else "no"


@dsl.component(base_image="python:3.11-slim")
def deploy_model(model: Input[Model], endpoint_name: str = "production"):
    """Deploy the model by copying it to the endpoint folder."""
    import os
    import shutil

    os.makedirs(endpoint_name, exist_ok=True)
    shutil.copy(model.path, os.path.join(endpoint_name, "model.pkl"))
    print(f"Model deployed to {endpoint_name}")


@dsl.pipeline(
    name="training-pipeline",
    description="Train, evaluate, and conditionally deploy a classifier",
)
def training_pipeline(
    data_url: str = "sklearn:breast_cancer",
    min_accuracy: float = 0.85,
    deploy_endpoint: str = "/tmp/kiln/deployed/training-pipeline",
):
    load_task = load_data(source_url=data_url)
    train_task = train_model(dataset=load_task.outputs["dataset"])
    eval_task = evaluate_model(
        model=train_task.outputs["model"],
        test_data=load_task.outputs["dataset"],
        min_accuracy=min_accuracy,
    )
    # evaluate_model also writes metrics, so its returned value is reached by name.
    with dsl.Condition(eval_task.outputs["Output"] == "yes"):
        deploy_model(model=train_task.outputs["model"], endpoint_name=deploy_endpoint)


PIPELINE = training_pipeline
