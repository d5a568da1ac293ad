from ninja import Router

router = Router(tags=["发展目标与进展"])
