from ninja import Router

router = Router(tags=["企业创新画像与上市后备资源库"])
