from drf_spectacular.utils import OpenApiExample, extend_schema_serializer
from rest_framework import generics, permissions, serializers

from .api_renderers import LIST_RENDERERS
from .models import CompetenceArea, Municipality


@extend_schema_serializer(examples=[OpenApiExample("Vinje", response_only=True, value={
    "code": "4036", "name": "Vinje", "county_code": "40", "latitude": 59.57,
    "longitude": 7.99, "in_region": True, "aliases": ["0834", "3825"]})])
class MunicipalitySerializer(serializers.ModelSerializer):
    aliases = serializers.SlugRelatedField(many=True, read_only=True, slug_field="code")

    class Meta:
        model = Municipality
        fields = ["code", "name", "county_code", "latitude", "longitude", "in_region", "aliases"]


@extend_schema_serializer(examples=[OpenApiExample("A sub-area", response_only=True, value={
    "code": "skog.motorsag", "parent": "skog", "label_nb": "Motorsag og felling",
    "label_nn": "Motorsag og felling", "label_en": "Chainsaw and felling",
    "synonyms": "motorsagsertifikat;hogst"})])
class CompetenceAreaSerializer(serializers.ModelSerializer):
    parent = serializers.SlugRelatedField(read_only=True, slug_field="code", allow_null=True)

    class Meta:
        model = CompetenceArea
        fields = ["code", "parent", "label_nb", "label_nn", "label_en", "synonyms"]


class MunicipalityList(generics.ListAPIView):
    """Every municipality by its official code, with its retired alias codes (anyone)."""

    renderer_classes = LIST_RENDERERS
    permission_classes = [permissions.AllowAny]
    serializer_class = MunicipalitySerializer
    queryset = Municipality.objects.prefetch_related("aliases").order_by("code")
    pagination_class = None


class CompetenceAreaList(generics.ListAPIView):
    """The competence taxonomy: areas and sub-areas (`<area>.<slug>`) with labels in nb, nn
    and en and search synonyms (anyone)."""

    renderer_classes = LIST_RENDERERS
    permission_classes = [permissions.AllowAny]
    serializer_class = CompetenceAreaSerializer
    queryset = CompetenceArea.objects.filter(is_active=True).select_related("parent")
    pagination_class = None
