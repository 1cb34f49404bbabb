"""Tables on the pages are bounded: components.first_rows / plans_table show at most
TABLE_ROWS rows (or `limit`) and say how many there are in all."""

from __future__ import annotations

from streamlit.testing.v1 import AppTest

from dashboard import components
from dashboard.i18n import translate


def _script() -> None:
    import pandas as pd

    from dashboard import components

    def plans(n: int) -> pd.DataFrame:
        return pd.DataFrame(
            {
                "plan_id": [f"p{i}" for i in range(n)],
                "plan_year": [2020] * n,
                "plan_number": [f"{i}/KH" for i in range(n)],
                "province_name": ["Tỉnh Hà Giang"] * n,
            }
        )

    components.plans_table(plans(25), limit=10)
    components.plans_table(plans(5), limit=10)
    components.plans_table(plans(12), limit=None)
    components.plans_table(plans(components.TABLE_ROWS + 1))
    # a query that returned only its first rows says how many there are in n_total
    components.plans_table(plans(7).assign(n_total=4321))
    components.plans_table(plans(7).assign(n_total=7))


def test_tables_show_the_first_rows_and_say_how_many_there_are() -> None:
    at = AppTest.from_function(_script).run()
    assert not at.exception
    assert [len(table.value) for table in at.dataframe] == [10, 5, 12, components.TABLE_ROWS, 7, 7]
    captions = [str(c.value) for c in at.caption]
    assert captions == [
        translate("limits.first_rows", "vi", shown="10", n="25"),
        translate(
            "limits.first_rows",
            "vi",
            shown=f"{components.TABLE_ROWS:,}".replace(",", "."),
            n=f"{components.TABLE_ROWS + 1:,}".replace(",", "."),
        ),
        translate("limits.first_rows", "vi", shown="7", n="4.321"),
    ]
    assert list(at.dataframe[0].value.iloc[:, 2]) == [f"{i}/KH" for i in range(10)]
