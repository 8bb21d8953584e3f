"""The one thing pyproject.toml cannot declare without experimental options: the classifier's
C extension (normalisation and match resolution; text.py and matching.py hold the Python
reference it is tested against). Everything else is in pyproject.toml."""

from setuptools import Extension, setup

setup(
    ext_modules=[
        Extension(
            "services.classifier._native",
            sources=["services/classifier/_native.c"],
            extra_compile_args=["-O2"],
        )
    ]
)
