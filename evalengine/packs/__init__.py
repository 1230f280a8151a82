"""Rule packs (评分规则): the schema of their keys, loading along extends:, validation, the model."""
