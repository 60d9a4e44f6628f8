"""Values as the nomination form posts them (the naming scheme is in nominations/forms.py)."""


def post_data(values: dict, **extra) -> dict:
    data = {}
    for key, value in values.items():
        if isinstance(value, dict) and "registered" in value:
            data.update(_registration(key, value))
        elif isinstance(value, dict):
            data.update({f"{key}__{part}": text for part, text in value.items()})
        elif isinstance(value, list) and value and isinstance(value[0], dict):
            for index, row in enumerate(value):
                for item, cell in row.items():
                    name = f"{key}__{index}__{item}"
                    if isinstance(cell, dict):
                        data.update(_registration(name, cell))
                    else:
                        data[name] = cell
        elif key == "activity_kinds":
            data[key] = value  # checkboxes: the test client posts a list as repeated fields
        elif isinstance(value, list):
            data[key] = "\n".join(value)
        else:
            data[key] = str(value)
    data.update(extra)
    return data


def _registration(name, value):
    return {
        f"{name}__registered": "是" if value.get("registered") else "否",
        f"{name}__number": value.get("number", ""),
    }
