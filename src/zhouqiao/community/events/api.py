from ninja import Router

router = Router(tags=["活动、路演与对接会"])
