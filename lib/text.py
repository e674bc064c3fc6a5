"""Text cut to fit a model's field: the length comes from the field's own `max_length`, so a
changed field cannot disagree with a literal `[:100]` somewhere else. The model class is an
argument: lib imports no app."""


def truncate_for(model, field_name, text):
    """`text` cut to the `max_length` of `model`'s field `field_name` (whole if it has none)."""
    length = model._meta.get_field(field_name).max_length
    return text if length is None else text[:length]
