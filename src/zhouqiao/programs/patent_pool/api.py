from ninja import Router

router = Router(tags=["专利收储与运营"])
