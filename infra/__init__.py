"""The AWS CDK app: one construct per capability, composed by `AtelierStack`."""
