"""Lambda layers: the `atelier` domain layer and one layer per dependency set."""

from __future__ import annotations

from pathlib import Path

from aws_cdk import RemovalPolicy
from aws_cdk import aws_lambda as lambda_
from constructs import Construct

from atelier.routes import Layer
from infra import assets

RUNTIME = lambda_.Runtime.PYTHON_3_14
REQUIREMENTS = {Layer.API: "requirements.txt", Layer.MEDIA: "requirements-media.txt"}


class LayersConstruct(Construct):
    def __init__(self, scope: Construct, construct_id: str, *, bundle: bool) -> None:
        super().__init__(scope, construct_id)
        self.domain = lambda_.LayerVersion(
            self,
            "Domain",
            code=lambda_.Code.from_asset(str(assets.domain_layer())),
            compatible_runtimes=[RUNTIME],
            description="The atelier domain package",
            removal_policy=RemovalPolicy.RETAIN,
        )
        self.dependencies: dict[Layer, lambda_.ILayerVersion] = {}
        built: list[Path] = []
        for layer, requirements in REQUIREMENTS.items():  # API first: media builds on top
            folder = assets.dependency_layer(
                layer.value, assets.ROOT / requirements, bundle=bundle, provided_by=tuple(built)
            )
            built.append(folder)
            self.dependencies[layer] = lambda_.LayerVersion(
                self,
                f"Deps{layer.value.title()}",
                code=lambda_.Code.from_asset(str(folder)),
                compatible_runtimes=[RUNTIME],
                description=f"Third-party packages from {requirements}",
                removal_policy=RemovalPolicy.RETAIN,
            )

    def for_function(self, layers: tuple[Layer, ...]) -> list[lambda_.ILayerVersion]:
        return [self.dependencies[layer] for layer in layers] + [self.domain]
