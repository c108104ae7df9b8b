"""Reference pipeline: one small churn model that every level of every cloud runs.

Plain Python on what the clouds' prebuilt scikit-learn containers ship (scikit-learn, pandas,
numpy). Runs on Python 3.9 (the SageMaker scikit-learn 1.2-1 image) and later. Engine libraries
(pyspark, pyflink, apache_beam) are imported only inside the thin adapters that need them.
"""
