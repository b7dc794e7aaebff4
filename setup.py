"""What pyproject.toml cannot say: the repository keeps ``weights/`` and ``soundfonts/`` at its
top, and the distribution carries them inside the package as ``live_jazz.weights`` and
``live_jazz.soundfonts``, found with ``importlib.resources`` installed and editable alike."""

from setuptools import find_packages, setup

DATA_PACKAGES = {
    "live_jazz.weights": "weights",
    "live_jazz.weights.seed": "weights/seed",
    "live_jazz.soundfonts": "soundfonts",
}

setup(
    packages=find_packages(include=["live_jazz*", "training*"]) + list(DATA_PACKAGES),
    package_dir=DATA_PACKAGES,
)
