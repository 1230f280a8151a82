"""The target language: vocabulary, predicates, and the parser (the only module that imports lark)."""
